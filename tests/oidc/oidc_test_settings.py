"""The test OpenID provider's client and person (shared by its fixture and the tests)."""

CLIENT_ID = "wib-test-client"
CLIENT_SECRET = "wib-test-secret-0123456789"
TEST_NRN = "90051712331"  # a valid national register number (17 May 1990, serial 123)
