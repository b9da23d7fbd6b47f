// A real OpenID provider (oidc-provider) on loopback, started by tests/oidc: one client, one person.
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;

const people = {
  worker: {
    sub: 'worker',
    nrn: process.env.TEST_NRN,
    given_name: 'Ana',
    family_name: 'Silva',
    email: 'ana.silva@example.org',
  },
};

const configuration = {
  clients: [
    {
      client_id: process.env.CLIENT_ID,
      client_secret: process.env.CLIENT_SECRET,
      redirect_uris: [process.env.REDIRECT_URI],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  claims: {
    openid: ['sub'],
    profile: ['given_name', 'family_name'],
    email: ['email'],
    nrn: ['nrn'],
  },
  scopes: ['openid', 'profile', 'email', 'nrn'],
  async findAccount(ctx, id) {
    const person = people[id];
    if (!person) return undefined;
    return { accountId: id, async claims() { return person; } };
  },
  // The provider's own login and consent forms: the test submits them like a browser would.
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['test-only-cookie-key'] },
};

const provider = new Provider(issuer, configuration);
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
