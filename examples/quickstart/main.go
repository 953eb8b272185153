// Command quickstart walks one client through its whole life with the factpulse SDK:
// create, list, get, update, configure PDP, read the configuration back, deactivate and
// activate.
//
// With no environment it starts the SDK's fake FactPulse server in process, so it runs
// anywhere Go does:
//
//	go run ./examples/quickstart
//
// To talk to another server, such as a cmd/factpulse-fake started in another shell, set
// FACTPULSE_BASE_URL and either FACTPULSE_TOKEN, or FACTPULSE_USERNAME and
// FACTPULSE_PASSWORD to log in (the SDK then renews the token by itself).
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	factpulse "github.com/invoicekit/factpulse-go/wrapper"
	"github.com/invoicekit/factpulse-go/wrapper/factpulsetest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	if err := run(ctx, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run does the whole walk, writing what happens to out. getenv reads the environment.
func run(ctx context.Context, out io.Writer, getenv func(string) string) error {
	client, stop, err := connect(out, getenv)
	if err != nil {
		return err
	}
	defer stop()

	w := &walk{ctx: ctx, out: out, fp: client}
	steps := []func() error{w.create, w.list, w.get, w.update, w.configurePDP, w.readPDP,
		w.deactivate, w.activate}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}

	fmt.Fprintln(out, "\nDone: the client went through its whole life.")

	return nil
}

// connect makes an SDK client for the server the environment names, or for a fake server
// it starts. stop releases what connect started.
func connect(out io.Writer, getenv func(string) string) (*factpulse.Client, func(), error) {
	base := getenv("FACTPULSE_BASE_URL")
	if base == "" {
		srv := factpulsetest.NewServer()
		fmt.Fprintf(out, "Using an in-process fake FactPulse server at %s\n", srv.URL)
		client, err := factpulse.New(factpulse.WithBaseURL(srv.URL),
			factpulse.WithToken(srv.AccountToken()))
		if err != nil {
			srv.Close()
			return nil, nil, err
		}

		return client, srv.Close, nil
	}

	opts := []factpulse.Option{factpulse.WithBaseURL(base)}
	user, password := getenv("FACTPULSE_USERNAME"), getenv("FACTPULSE_PASSWORD")
	switch {
	case user != "" && password != "":
		opts = append(opts, factpulse.WithCredentials(factpulse.Credentials{
			Username: user,
			Password: factpulse.Secret(password),
		}))
		fmt.Fprintf(out, "Logging in as %s\n", user)
	case getenv("FACTPULSE_TOKEN") != "":
		opts = append(opts, factpulse.WithToken(getenv("FACTPULSE_TOKEN")))
	default:
		return nil, nil, fmt.Errorf("FACTPULSE_BASE_URL is set: set FACTPULSE_TOKEN, " +
			"or FACTPULSE_USERNAME and FACTPULSE_PASSWORD, too")
	}
	fmt.Fprintf(out, "Using the FactPulse server at %s\n", base)
	client, err := factpulse.New(opts...)
	if err != nil {
		return nil, nil, err
	}

	return client, func() {}, nil
}

// walk holds what the steps share: the SDK client and the client being walked through.
type walk struct {
	ctx context.Context
	out io.Writer
	fp  *factpulse.Client
	uid string
}

func (w *walk) step(title string) {
	fmt.Fprintf(w.out, "\n== %s\n", title)
}

func (w *walk) create() error {
	w.step("Create a client")

	desc, siret := "Bakery in Lyon, invoices through FactPulse", "73282932000074"
	c, err := w.fp.Clients.Create(w.ctx, factpulse.ClientCreate{
		Name:        "Boulangerie Martin",
		Description: &desc,
		SIRET:       &siret,
	})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	w.uid = c.UID
	printClient(w.out, c)

	return nil
}

func (w *walk) list() error {
	w.step("List the account's clients")

	page, err := w.fp.Clients.List(w.ctx, &factpulse.ListOptions{PageSize: 10})
	if err != nil {
		return fmt.Errorf("list: %w", err)
	}
	fmt.Fprintf(w.out, "page %d (up to %d a page), %d client(s) in all\n",
		page.Page, page.PageSize, page.Total)
	for _, c := range page.Clients {
		fmt.Fprintf(w.out, "  %s  %-30s active=%t\n", c.UID, c.Name, c.Active)
	}

	return nil
}

func (w *walk) get() error {
	w.step("Get the client")

	c, err := w.fp.Clients.Get(w.ctx, w.uid)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	printClient(w.out, c)

	return nil
}

func (w *walk) update() error {
	w.step("Rename the client and clear its description")

	c, err := w.fp.Clients.Update(w.ctx, w.uid, factpulse.ClientUpdate{
		Name:        factpulse.Set("Boulangerie Martin & Fils"),
		Description: factpulse.Clear[string](),
	})
	if err != nil {
		return fmt.Errorf("update: %w", err)
	}
	printClient(w.out, c)

	return nil
}

func (w *walk) configurePDP() error {
	w.step("Configure the client's PDP (sandbox)")

	sandbox := true
	cfg, err := w.fp.Clients.SetPDPConfig(w.ctx, w.uid, factpulse.PDPConfigUpdate{
		Sandbox:        &sandbox,
		FlowServiceURL: "https://pdp.example.com/flow/v1",
		TokenURL:       "https://pdp.example.com/oauth/token",
		OAuthClientID:  "boulangerie-martin",
		ClientSecret:   "example-pdp-secret",
	})
	if err != nil {
		return fmt.Errorf("configure PDP: %w", err)
	}
	printPDP(w.out, cfg)

	return nil
}

func (w *walk) readPDP() error {
	w.step("Read the PDP configuration back (the secret never comes back)")

	cfg, err := w.fp.Clients.PDPConfig(w.ctx, w.uid)
	if err != nil {
		return fmt.Errorf("read PDP config: %w", err)
	}
	printPDP(w.out, cfg)

	c, err := w.fp.Clients.Get(w.ctx, w.uid)
	if err != nil {
		return fmt.Errorf("get: %w", err)
	}
	fmt.Fprintf(w.out, "client now: has PDP config=%t, PDP active=%s\n",
		c.HasPDPConfig, showBool(c.PDPActive))

	return nil
}

func (w *walk) deactivate() error {
	w.step("Deactivate the client")

	res, err := w.fp.Clients.Deactivate(w.ctx, w.uid)
	if err != nil {
		return fmt.Errorf("deactivate: %w", err)
	}
	fmt.Fprintf(w.out, "active=%t: %s\n", res.Active, res.Message)

	return nil
}

func (w *walk) activate() error {
	w.step("Activate the client again")

	res, err := w.fp.Clients.Activate(w.ctx, w.uid)
	if err != nil {
		return fmt.Errorf("activate: %w", err)
	}
	fmt.Fprintf(w.out, "active=%t: %s\n", res.Active, res.Message)

	return nil
}

func printClient(out io.Writer, c *factpulse.ClientInfo) {
	fmt.Fprintf(out, "uid:         %s\n", c.UID)
	fmt.Fprintf(out, "name:        %s\n", c.Name)
	fmt.Fprintf(out, "siret:       %s\n", showString(c.SIRET))
	fmt.Fprintf(out, "description: %s\n", showString(c.Description))
	fmt.Fprintf(out, "active:      %t\n", c.Active)
	fmt.Fprintf(out, "updated at:  %s\n", c.UpdatedAt.Format(time.RFC3339))
}

func printPDP(out io.Writer, cfg *factpulse.PDPConfig) {
	if !cfg.Configured {
		fmt.Fprintf(out, "not configured: %s\n", cfg.Message)
		return
	}

	fmt.Fprintf(out, "flow service:  %s\n", cfg.FlowServiceURL)
	fmt.Fprintf(out, "token URL:     %s\n", cfg.TokenURL)
	fmt.Fprintf(out, "OAuth client:  %s\n", cfg.OAuthClientID)
	fmt.Fprintf(out, "active:        %s\n", showBool(cfg.Active))
	fmt.Fprintf(out, "sandbox:       %s\n", showBool(cfg.Sandbox))
	if s := cfg.SecretStatus; s != nil {
		fmt.Fprintf(out, "client secret: ******** (%s: %s)\n", s.Status, s.Message)
	}
}

func showString(s *string) string {
	if s == nil {
		return "(none)"
	}

	return *s
}

func showBool(b *bool) string {
	if b == nil {
		return "(unknown)"
	}

	return fmt.Sprint(*b)
}
