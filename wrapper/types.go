package factpulse

import (
	"fmt"
	"time"
)

// ClientInfo is one client of the account as the service describes it.
type ClientInfo struct {
	// UID is the client's unique identifier, a UUID.
	UID string

	// Name is the client's name.
	Name string

	// SIRET is the client's 14-digit SIRET number, or nil when it has none.
	SIRET *string

	// Description is free text about the client, or nil when it has none.
	Description *string

	// Active reports whether the client may use the service's other APIs.
	Active bool

	// HasPDPConfig reports whether a PDP configuration exists for the client.
	HasPDPConfig bool

	// PDPActive reports whether the PDP configuration is in use; nil when the service
	// does not say, as when there is no configuration.
	PDPActive *bool

	// PDPMock reports whether the PDP configuration is a mock; nil when the service does
	// not say.
	PDPMock *bool

	// HasChorusConfig reports whether a Chorus Pro configuration exists for the client.
	HasChorusConfig bool

	// CreatedAt and UpdatedAt are when the client was created and last changed.
	CreatedAt, UpdatedAt time.Time
}

// ClientPage is one page of the account's clients.
type ClientPage struct {
	// Clients holds the clients of this page, in the service's order.
	Clients []ClientInfo

	// Total is how many clients the account holds in all.
	Total int

	// Page is the page returned, counting from 1.
	Page int

	// PageSize is how many clients a page holds.
	PageSize int
}

// ListOptions selects a page of clients. The zero value asks for the service's defaults:
// page 1 of 20.
type ListOptions struct {
	// Page is the page to return, counting from 1; 0 means the first.
	Page int

	// PageSize is how many clients a page holds, from 1 to 100; 0 means the service's
	// default of 20.
	PageSize int
}

// ClientCreate is what a new client is made of.
type ClientCreate struct {
	// Name is required: 1 to 255 characters.
	Name string

	// Description is optional: at most 1000 characters. Nil sends none.
	Description *string

	// SIRET is optional: exactly 14 digits. Nil sends none.
	SIRET *string
}

// ClientUpdate is a partial update of a client. A field left as its zero value is not
// sent and keeps its value; Set changes it; Clear sends null and clears it.
//
//	client.Clients.Update(ctx, uid, factpulse.ClientUpdate{
//		Name:        factpulse.Set("Boulangerie Martin & Fils"),
//		Description: factpulse.Clear[string](),
//	})
type ClientUpdate struct {
	// Name, when set, must be 1 to 255 characters.
	Name Patch[string]

	// Description, when set, must be at most 1000 characters.
	Description Patch[string]

	// SIRET, when set, must be exactly 14 digits.
	SIRET Patch[string]
}

// Patch is one property of a partial update: left alone (the zero value), cleared, or set.
type Patch[T any] struct {
	state patchState
	value T
}

type patchState uint8

const (
	patchUnset patchState = iota
	patchNull
	patchValue
)

// Set returns a Patch that changes the property to v.
func Set[T any](v T) Patch[T] {
	return Patch[T]{state: patchValue, value: v}
}

// Clear returns a Patch that sends null, which clears the property.
func Clear[T any]() Patch[T] {
	return Patch[T]{state: patchNull}
}

// IsSet reports whether the Patch will send anything, a value or null.
func (p Patch[T]) IsSet() bool {
	return p.state != patchUnset
}

// IsNull reports whether the Patch clears the property.
func (p Patch[T]) IsNull() bool {
	return p.state == patchNull
}

// Value returns the value and whether the Patch sets one.
func (p Patch[T]) Value() (T, bool) {
	return p.value, p.state == patchValue
}

// String describes the Patch: "unchanged", "null" or the value.
func (p Patch[T]) String() string {
	switch p.state {
	case patchNull:
		return "null"
	case patchValue:
		return fmt.Sprint(p.value)
	}

	return "unchanged"
}

// ActivationResult is the service's answer to Activate and Deactivate.
type ActivationResult struct {
	// UID is the client's identifier.
	UID string

	// Active is the client's new status.
	Active bool

	// Message is the service's confirmation, for a person to read.
	Message string
}

// PDPConfig is a client's PDP (PA/PDP) configuration as the service returns it. The client
// secret is never part of it; SecretStatus says whether one is stored.
type PDPConfig struct {
	// Configured reports whether a configuration exists. When false, Message says so
	// and the other fields are zero or nil.
	Configured bool

	// ID is the configuration's identifier, or nil.
	ID *int

	// Active reports whether the configuration is in use, or nil.
	Active *bool

	// Sandbox reports whether the PDP's sandbox is used, or nil.
	Sandbox *bool

	// FlowServiceURL is the PDP's Flow Service URL; empty when not configured.
	FlowServiceURL string

	// TokenURL is the PDP's OAuth token URL; empty when not configured.
	TokenURL string

	// OAuthClientID is the OAuth client id at the PDP; empty when not configured.
	OAuthClientID string

	// SecretStatus tells whether a client secret is stored, or nil.
	SecretStatus *SecretStatus

	// LastTestAt is when the configuration was last tested, or nil.
	LastTestAt *time.Time

	// LastTestSuccess reports whether the last test succeeded, or nil.
	LastTestSuccess *bool

	// LastTestError is what the last test reported when it failed, or nil.
	LastTestError *string

	// CreatedAt and UpdatedAt are when the configuration was created and last changed,
	// or nil.
	CreatedAt, UpdatedAt *time.Time

	// Message is the service's note for a person to read; empty when it sent none.
	Message string
}

// SecretStatus says whether a PDP client secret is stored, without the secret.
type SecretStatus struct {
	// Status is the state of the secret, such as "active" or "missing".
	Status string

	// Message is the state in words.
	Message string
}

// PDPConfigUpdate is the PDP configuration to store for a client. It replaces any
// configuration the client had. The SDK refuses an empty FlowServiceURL, TokenURL,
// OAuthClientID or ClientSecret before sending, although the spec only requires them to
// be present: a configuration without them cannot work.
type PDPConfigUpdate struct {
	// Active turns the configuration on or off; nil lets the service apply its default,
	// true.
	Active *bool

	// Sandbox selects the PDP's sandbox; nil lets the service apply its default, false.
	Sandbox *bool

	// FlowServiceURL is the PDP's Flow Service URL. Required.
	FlowServiceURL string

	// TokenURL is the PDP's OAuth token URL. Required.
	TokenURL string

	// OAuthClientID is the OAuth client id at the PDP. Required.
	OAuthClientID string

	// ClientSecret is the OAuth client secret at the PDP. Required. The service stores it
	// encrypted and never returns it; the SDK never prints it.
	ClientSecret Secret
}

// Secret is a string that does not print: fmt verbs, %#v and JSON encoding show
// "[REDACTED]" in its place. Convert it with string(s) to read it.
type Secret string

const redacted = "[REDACTED]"

// String returns "[REDACTED]", or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}

	return redacted
}

// GoString returns the redacted form, so %#v hides the secret too.
func (s Secret) GoString() string {
	return `factpulse.Secret("` + s.String() + `")`
}

// Format writes the redacted form for every fmt verb.
func (s Secret) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, s.GoString())
		return
	}
	fmt.Fprint(f, s.String())
}

// MarshalJSON writes the redacted form, so a secret logged as JSON stays hidden. The SDK
// sends the real value through its own request encoding.
func (s Secret) MarshalJSON() ([]byte, error) {
	return []byte(`"` + s.String() + `"`), nil
}

// MarshalText writes the redacted form, for encoders such as slog's text handler.
func (s Secret) MarshalText() ([]byte, error) {
	return []byte(s.String()), nil
}
