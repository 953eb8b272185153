package factpulse

import (
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
