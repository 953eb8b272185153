package factpulse

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/oapi-codegen/nullable"

	"github.com/invoicekit/factpulse-go/gen/apiclient"
)

// This file is the one place that knows the generated models. A regeneration that renames
// a field breaks the build here, not at run time.

func clientFromDetail(d apiclient.ClientDetail) ClientInfo {
	return ClientInfo{
		UID:             d.Uid.String(),
		Name:            d.Name,
		SIRET:           ptrOf(d.Siret),
		Description:     ptrOf(d.Description),
		Active:          d.IsActive,
		HasPDPConfig:    d.HasConfigPdp,
		PDPActive:       ptrOf(d.PdpIsActive),
		PDPMock:         ptrOf(d.PdpIsMock),
		HasChorusConfig: d.HasConfigChorus,
		CreatedAt:       d.CreatedAt,
		UpdatedAt:       d.UpdatedAt,
	}
}

func clientFromSummary(s apiclient.ClientSummary) ClientInfo {
	return clientFromDetail(apiclient.ClientDetail(s))
}

func pageFromList(l apiclient.ClientListResponse) *ClientPage {
	page := &ClientPage{
		Clients:  make([]ClientInfo, 0, len(l.Results)),
		Total:    l.Total,
		Page:     l.Page,
		PageSize: l.PageSize,
	}
	for _, s := range l.Results {
		page.Clients = append(page.Clients, clientFromSummary(s))
	}

	return page
}

func activationFromWire(a apiclient.ClientActivateResponse) *ActivationResult {
	return &ActivationResult{UID: a.Uid.String(), Active: a.IsActive, Message: a.Message}
}

func pdpConfigFromWire(r apiclient.PDPConfigResponse) *PDPConfig {
	cfg := &PDPConfig{
		Configured:      r.IsConfigured,
		ID:              ptrOf(r.Id),
		Active:          ptrOf(r.IsActive),
		Sandbox:         ptrOf(r.ModeSandbox),
		FlowServiceURL:  valueOf(r.FlowServiceUrl),
		TokenURL:        valueOf(r.TokenUrl),
		OAuthClientID:   valueOf(r.OauthClientId),
		LastTestAt:      ptrOf(r.LastTestAt),
		LastTestSuccess: ptrOf(r.LastTestSuccess),
		LastTestError:   ptrOf(r.LastTestError),
		CreatedAt:       ptrOf(r.CreatedAt),
		UpdatedAt:       ptrOf(r.UpdatedAt),
		Message:         valueOf(r.Message),
	}
	if s := ptrOf(r.SecretStatus); s != nil {
		cfg.SecretStatus = &SecretStatus{Status: s.Status, Message: s.Message}
	}

	return cfg
}

func createToWire(c ClientCreate) apiclient.ClientCreateRequest {
	return apiclient.ClientCreateRequest{
		Name:        c.Name,
		Description: nullableOf(c.Description),
		Siret:       nullableOf(c.SIRET),
	}
}

func updateToWire(u ClientUpdate) apiclient.ClientUpdateRequest {
	return apiclient.ClientUpdateRequest{
		Name:        patchToWire(u.Name),
		Description: patchToWire(u.Description),
		Siret:       patchToWire(u.SIRET),
	}
}

func pdpUpdateToWire(u PDPConfigUpdate) apiclient.PDPConfigUpdateRequest {
	return apiclient.PDPConfigUpdateRequest{
		IsActive:       u.Active,
		ModeSandbox:    u.Sandbox,
		FlowServiceUrl: u.FlowServiceURL,
		TokenUrl:       u.TokenURL,
		OauthClientId:  u.OAuthClientID,
		ClientSecret:   string(u.ClientSecret),
	}
}

// patchToWire maps the three states of a Patch onto the generated nullable type: unset
// leaves the property out of the JSON, null sends null, a value sends the value.
func patchToWire[T any](p Patch[T]) nullable.Nullable[T] {
	switch p.state {
	case patchNull:
		return nullable.NewNullNullable[T]()
	case patchValue:
		return nullable.NewNullableWithValue(p.value)
	}

	return nil
}

// nullableOf sends nil as an absent property and anything else as its value.
func nullableOf[T any](p *T) nullable.Nullable[T] {
	if p == nil {
		return nil
	}

	return nullable.NewNullableWithValue(*p)
}

// ptrOf returns the value as a pointer, or nil when the property was absent or null.
func ptrOf[T any](n nullable.Nullable[T]) *T {
	v, err := n.Get()
	if err != nil {
		return nil
	}

	return &v
}

// valueOf returns the value, or the zero value when the property was absent or null.
func valueOf[T any](n nullable.Nullable[T]) T {
	v, _ := n.Get()

	return v
}

// answerShape lists the properties that a success answer must hold, as the spec requires
// them. The generated models decode a missing property as a zero value without a word,
// so the SDK checks them itself rather than hand out a client with no uid.
type answerShape struct {
	required []string

	// items names a property holding an array of objects, each with itemRequired.
	items        string
	itemRequired []string
}

var clientRequired = []string{"uid", "name", "isActive", "hasConfigPdp", "hasConfigChorus",
	"createdAt", "updatedAt"}

// shapeOf returns the shape the answer decoded into out must have.
func shapeOf(out any) answerShape {
	switch out.(type) {
	case *apiclient.ClientDetail:
		return answerShape{required: clientRequired}
	case *apiclient.ClientListResponse:
		return answerShape{required: []string{"results", "total", "page", "pageSize"},
			items: "results", itemRequired: clientRequired}
	case *apiclient.ClientActivateResponse:
		return answerShape{required: []string{"uid", "isActive", "message"}}
	case *apiclient.PDPConfigResponse:
		return answerShape{required: []string{"isConfigured"}}
	}

	return answerShape{}
}

// check returns an error naming the required properties that body lacks or sends as
// null, or nil when it has them all.
func (s answerShape) check(body []byte) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil {
		return err
	}

	missing := missingKeys(obj, s.required, "")
	if s.items != "" {
		var items []map[string]json.RawMessage
		if err := json.Unmarshal(obj[s.items], &items); err != nil {
			return fmt.Errorf("%s: %w", s.items, err)
		}
		for i, item := range items {
			missing = append(missing,
				missingKeys(item, s.itemRequired, fmt.Sprintf("%s[%d].", s.items, i))...)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("answer lacks required %s", strings.Join(missing, ", "))
	}

	return nil
}

func missingKeys(obj map[string]json.RawMessage, keys []string, prefix string) []string {
	var missing []string
	for _, k := range keys {
		if v, ok := obj[k]; !ok || string(v) == "null" {
			missing = append(missing, prefix+k)
		}
	}

	return missing
}
