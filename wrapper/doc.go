// Package factpulse is a Go client for the Client Management operations of the FactPulse
// e-invoicing API: the clients (companies) of an account, their status, and the PDP
// credentials each one carries.
//
// # Getting started
//
// Import the package and create a Client with a token:
//
//	import factpulse "github.com/invoicekit/factpulse-go/wrapper"
//
//	client, err := factpulse.New(factpulse.WithToken(os.Getenv("FACTPULSE_TOKEN")))
//	if err != nil {
//		return err
//	}
//
// By default the Client talks to the production service at DefaultBaseURL; WithBaseURL
// points it elsewhere, such as a fake server from the factpulsetest package. Every
// operation lives on Client.Clients and takes a context first:
//
//	c, err := client.Clients.Create(ctx, factpulse.ClientCreate{Name: "Boulangerie Martin"})
//	c, err = client.Clients.Get(ctx, c.UID)
//	for c, err := range client.Clients.All(ctx, nil) { ... }
//
// Updates are partial: Set changes a property, Clear empties it, and a property left
// alone is not sent.
//
// # Authentication
//
// Give the Client one of three: WithToken for a fixed token, such as one made on the
// service's dashboard; WithTokenSource for tokens your code supplies; or WithCredentials
// for a username and password, with which the Client logs in and renews its tokens by
// itself, a little before they expire:
//
//	client, err := factpulse.New(factpulse.WithCredentials(factpulse.Credentials{
//		Username: os.Getenv("FACTPULSE_USERNAME"),
//		Password: factpulse.Secret(os.Getenv("FACTPULSE_PASSWORD")),
//	}))
//
// With credentials, or a TokenSource that is also a TokenInvalidator, a request answered
// 401 is sent once more with a fresh token. Tokens
// go only to the base URL's host, over https or plain http to loopback, never to another
// host after a redirect.
//
// # Retries
//
// A request that fails on the way (a refused or dropped connection, or an answer of
// 408, 429, 500, 502, 503 or 504) is sent again, up to 4 times in all, with a growing
// wait between attempts, or the wait the service's Retry-After asks for. Only requests
// that are safe to repeat are sent again after they may have reached the service: Get,
// List, Update, Activate, Deactivate and the PDP configuration, not Create. Create is
// sent again only when the request provably never reached the service, or the service
// answered 429 or 503 with a Retry-After, which says it did not process it. The
// context's deadline bounds the whole call; the http.Client's Timeout (DefaultTimeout)
// bounds each attempt. WithRetryPolicy changes the rules; RetryPolicy documents them.
//
// # Errors
//
// Input that breaks the API's rules (a uid that is not a UUID, a SIRET that is not 14
// digits, an empty name) is refused before any request is sent, with an *InputError that
// names the field and the rule. An answer from the service other than success is an
// *APIError carrying the status, the service's detail text, the validation problems of a
// 422 answer, and the start of the raw body. Classify errors with errors.Is:
//
//	c, err := client.Clients.Get(ctx, uid)
//	switch {
//	case errors.Is(err, factpulse.ErrNotFound):
//		// no such client
//	case errors.Is(err, factpulse.ErrValidation):
//		var apiErr *factpulse.APIError
//		errors.As(err, &apiErr)
//		for _, p := range apiErr.Problems {
//			log.Printf("%s: %s", p.Field(), p.Message)
//		}
//	case err != nil:
//		return err
//	}
//
// # Secrets
//
// Tokens, passwords and PDP client secrets never appear in errors, logs, or the fmt output
// of any value of this package. A PDP client secret has the type Secret, which prints as
// [REDACTED].
//
// # Testing your code
//
// The factpulsetest package runs an in-memory fake of the service on loopback, with the
// same scope rules and validation as the real one.
package factpulse
