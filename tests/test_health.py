def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_the_database_up(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["database"] == "up"
