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
