package factpulse

import (
	"reflect"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/uuid"
	"github.com/oapi-codegen/nullable"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invoicekit/factpulse-go/gen/apiclient"
)

// TestEveryGeneratedFieldIsMapped fails when the spec gains a property that the wrapper
// does not carry: a regeneration adds the field to the generated model, compiles, and
// would otherwise be dropped without a word. Map the new field in convert.go, add it to
// the wrapper's type, and list it here.
func TestEveryGeneratedFieldIsMapped(t *testing.T) {
	tests := []struct {
		generated any
		wrapper   any
		fields    map[string]string // generated field -> wrapper field
	}{
		{apiclient.ClientDetail{}, ClientInfo{}, clientFields},
		{apiclient.ClientSummary{}, ClientInfo{}, clientFields},
		{apiclient.ClientListResponse{}, ClientPage{}, map[string]string{
			"Results": "Clients", "Total": "Total", "Page": "Page", "PageSize": "PageSize"}},
		{apiclient.ClientActivateResponse{}, ActivationResult{}, map[string]string{
			"Uid": "UID", "IsActive": "Active", "Message": "Message"}},
		{apiclient.PDPConfigResponse{}, PDPConfig{}, pdpFields},
		{apiclient.SecretStatus{}, SecretStatus{}, map[string]string{
			"Status": "Status", "Message": "Message"}},
		{apiclient.ClientCreateRequest{}, ClientCreate{}, map[string]string{
			"Name": "Name", "Description": "Description", "Siret": "SIRET"}},
		{apiclient.ClientUpdateRequest{}, ClientUpdate{}, map[string]string{
			"Name": "Name", "Description": "Description", "Siret": "SIRET"}},
		{apiclient.PDPConfigUpdateRequest{}, PDPConfigUpdate{}, map[string]string{
			"IsActive": "Active", "ModeSandbox": "Sandbox", "FlowServiceUrl": "FlowServiceURL",
			"TokenUrl": "TokenURL", "OauthClientId": "OAuthClientID",
			"ClientSecret": "ClientSecret"}},
	}

	for _, tt := range tests {
		gen, wrap := reflect.TypeOf(tt.generated), reflect.TypeOf(tt.wrapper)
		t.Run(gen.Name(), func(t *testing.T) {
			for i := range gen.NumField() {
				name := gen.Field(i).Name
				target, ok := tt.fields[name]
				if !assert.True(t, ok, "apiclient.%s.%s is not carried by %s: map it in "+
					"convert.go", gen.Name(), name, wrap.Name()) {
					continue
				}
				_, ok = wrap.FieldByName(target)
				assert.True(t, ok, "%s has no field %s", wrap.Name(), target)
			}
			assert.Len(t, tt.fields, gen.NumField(), "fields listed that no longer exist")
		})
	}
}

var clientFields = map[string]string{
	"Uid": "UID", "Name": "Name", "Siret": "SIRET", "Description": "Description",
	"IsActive": "Active", "HasConfigPdp": "HasPDPConfig", "PdpIsActive": "PDPActive",
	"PdpIsMock": "PDPMock", "HasConfigChorus": "HasChorusConfig",
	"CreatedAt": "CreatedAt", "UpdatedAt": "UpdatedAt",
}

var pdpFields = map[string]string{
	"IsConfigured": "Configured", "Id": "ID", "IsActive": "Active",
	"ModeSandbox": "Sandbox", "FlowServiceUrl": "FlowServiceURL", "TokenUrl": "TokenURL",
	"OauthClientId": "OAuthClientID", "SecretStatus": "SecretStatus",
	"LastTestAt": "LastTestAt", "LastTestSuccess": "LastTestSuccess",
	"LastTestError": "LastTestError", "CreatedAt": "CreatedAt", "UpdatedAt": "UpdatedAt",
	"Message": "Message",
}

// TestConversionsFillEveryField converts fully populated generated values and checks
// that no wrapper field is left at its zero value, so a mapping cannot be forgotten.
func TestConversionsFillEveryField(t *testing.T) {
	ts := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	s := func(v string) nullable.Nullable[string] { return nullable.NewNullableWithValue(v) }
	b := func(v bool) nullable.Nullable[bool] { return nullable.NewNullableWithValue(v) }
	at := nullable.NewNullableWithValue(ts)

	client := clientFromDetail(apiclient.ClientDetail{
		Uid: uuid.MustParse(testUID), Name: "n", Siret: s("12345678901234"),
		Description: s("d"), IsActive: true, HasConfigPdp: true, PdpIsActive: b(true),
		PdpIsMock: b(false), HasConfigChorus: true, CreatedAt: ts, UpdatedAt: ts,
	})
	assertNoZeroField(t, client)

	cfg := pdpConfigFromWire(apiclient.PDPConfigResponse{
		IsConfigured: true, Id: nullable.NewNullableWithValue(1), IsActive: b(true),
		ModeSandbox: b(false), FlowServiceUrl: s("f"), TokenUrl: s("t"), OauthClientId: s("c"),
		SecretStatus: nullable.NewNullableWithValue(apiclient.SecretStatus{Status: "active",
			Message: "m"}),
		LastTestAt: at, LastTestSuccess: b(false), LastTestError: s("e"), CreatedAt: at,
		UpdatedAt: at, Message: s("m"),
	})
	assertNoZeroField(t, *cfg)
}

func assertNoZeroField(t *testing.T, v any) {
	t.Helper()

	rv := reflect.ValueOf(v)
	require.Equal(t, reflect.Struct, rv.Kind())
	for i := range rv.NumField() {
		assert.False(t, rv.Field(i).IsZero(), "%s.%s is not filled", rv.Type().Name(),
			rv.Type().Field(i).Name)
	}
}

// TestAnswerShapesFollowTheSpec checks that the properties the SDK insists on in each
// answer are the ones openapi.yaml marks required.
func TestAnswerShapesFollowTheSpec(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../openapi.yaml")
	require.NoError(t, err)
	required := func(name string) []string {
		schema := doc.Components.Schemas[name]
		require.NotNil(t, schema, name)
		return schema.Value.Required
	}

	tests := []struct {
		schema string
		got    []string
	}{
		{"ClientDetail", shapeOf(&apiclient.ClientDetail{}).required},
		{"ClientSummary", shapeOf(&apiclient.ClientListResponse{}).itemRequired},
		{"ClientListResponse", shapeOf(&apiclient.ClientListResponse{}).required},
		{"ClientActivateResponse", shapeOf(&apiclient.ClientActivateResponse{}).required},
		{"PDPConfigResponse", shapeOf(&apiclient.PDPConfigResponse{}).required},
	}
	for _, tt := range tests {
		assert.ElementsMatch(t, required(tt.schema), tt.got, tt.schema)
	}
}
