// Package factpulsetest runs an in-memory FactPulse Client Management service
// for tests: the eight operations of the API, the two token endpoints, and
// faults on demand.
//
// Start with [NewServer]: it listens on 127.0.0.1 on a port the OS picks and
// gives a base URL to point a client at. [Fake.AccountToken] and
// [Fake.ClientToken] mint bearer tokens without a login; [WithUser] adds a
// login for POST /api/token/ when the code under test logs in by itself.
// A [Fake] is also an [http.Handler], for tests that bring their own server.
//
// The fake keeps the service's rules: an account-level token (a JWT without
// a client_uid claim) may do everything, a client-level token only the six
// operations on its own client. It answers 401 without a valid token, 403
// outside a token's scope, 404 for an unknown client and 422, in the
// service's FastAPI shape, for a request that breaks the spec.
//
// Every request is checked against the OpenAPI description built into
// gen/apiserver, and so is every answer the fake gives. An answer that breaks
// the spec is a bug in the fake: it is replaced by a 500 and kept, and
// [Fake.Err] reports it. Check it at the end of a test:
//
//	srv := factpulsetest.NewServer()
//	t.Cleanup(func() {
//		srv.Close()
//		require.NoError(t, srv.Err())
//	})
//
// [Fake.InjectFault] makes the fake misbehave as a network or a proxy would:
// a status with a Retry-After header, an HTML error page, a delay, or a
// connection closed before or after the request was handled. [Fake.Stats]
// and [Fake.Requests] tell a test what reached the fake.
//
// Tokens are HS256 JWTs signed with a key of each Fake, with the claims
// token_type ("access" or "refresh"), iat, exp, jti, user_id, username and,
// in client-level tokens, client_uid. POST /api/token/ answers 400, not 401,
// for a client_uid that names no client. With whole-second lifetimes, the
// defaults, iat and exp are whole seconds as the service sends them; with a
// fraction of a second they carry milliseconds (1767225600.25), so a client
// should read them as numbers, not integers.
//
// Where the service's documentation leaves a choice, the fake makes these:
// PATCH with "name": null answers 422 at ["body", "name"], since a client
// cannot lose its name; every PATCH, activation and deactivation moves
// updatedAt; pdpIsActive and pdpIsMock are null without a PDP configuration,
// and pdpIsMock is false with one; hasConfigChorus is always false; errors
// other than 422 are {"detail": "..."} on the token endpoints too.
//
// Timestamps are written as the service writes them, in UTC with
// milliseconds and a numeric offset: 2000-01-23T04:56:07.000+00:00.
//
// The fake registers a "uuid" string format with kin-openapi's global format
// table (openapi3.SchemaStringFormats) when the package is loaded; it accepts
// the canonical 8-4-4-4-12 hexadecimal form.
package factpulsetest
