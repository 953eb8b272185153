package factpulse_test

import (
	"context"
	"errors"
	"fmt"

	factpulse "github.com/invoicekit/factpulse-go/wrapper"
	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

// This example creates a client, renames it, clears its description, and lists the
// account, against the fake server that tests use.
func Example() {
	srv := factpulsetest.NewServer()
	defer srv.Close()

	client, err := factpulse.New(factpulse.WithBaseURL(srv.URL),
		factpulse.WithToken(srv.AccountToken()))
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	desc := "Bakery in Lyon"
	c, err := client.Clients.Create(ctx, factpulse.ClientCreate{
		Name: "Boulangerie Martin", Description: &desc})
	if err != nil {
		panic(err)
	}

	c, err = client.Clients.Update(ctx, c.UID, factpulse.ClientUpdate{
		Name:        factpulse.Set("Boulangerie Martin & Fils"),
		Description: factpulse.Clear[string](),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Name, c.Description == nil)

	for c, err := range client.Clients.All(ctx, nil) {
		if err != nil {
			panic(err)
		}
		fmt.Println("listed:", c.Name, c.Active)
	}
	// Output:
	// Boulangerie Martin & Fils true
	// listed: Boulangerie Martin & Fils true
}

// This example shows how errors read: input the SDK refuses before sending, and an
// answer from the service classified with errors.Is and inspected with errors.As.
func Example_errors() {
	srv := factpulsetest.NewServer()
	defer srv.Close()

	client, _ := factpulse.New(factpulse.WithBaseURL(srv.URL),
		factpulse.WithToken(srv.AccountToken()))
	ctx := context.Background()

	_, err := client.Clients.Get(ctx, "42")
	fmt.Println(errors.Is(err, factpulse.ErrInvalidInput), err)

	_, err = client.Clients.Get(ctx, "3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f")
	fmt.Println(errors.Is(err, factpulse.ErrNotFound))

	other := srv.AddClient("Other")
	mine := srv.AddClient("Mine")
	scoped, _ := factpulse.New(factpulse.WithBaseURL(srv.URL),
		factpulse.WithToken(srv.ClientToken(mine)))
	_, err = scoped.Clients.Get(ctx, other)
	var apiErr *factpulse.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, errors.Is(err, factpulse.ErrForbidden))
	}
	// Output:
	// true factpulse: invalid uid: must be a UUID such as 3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f
	// true
	// 403 true
}
