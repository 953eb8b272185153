package factpulsetest

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/invoicekit/factpulse-go/gen/apiserver"
)

// TestViewsCarryEveryProperty fails when the spec gains a response property that the
// fake's own answer structs do not send: a regeneration adds it to the generated models,
// but the fake writes its answers with the views of wire.go, and an optional property
// left out would pass response validation unnoticed.
func TestViewsCarryEveryProperty(t *testing.T) {
	tests := []struct {
		generated, view any
	}{
		{apiserver.ClientDetail{}, clientView{}},
		{apiserver.ClientSummary{}, clientView{}},
		{apiserver.ClientListResponse{}, listView{}},
		{apiserver.ClientActivateResponse{}, statusView{}},
		{apiserver.PDPConfigResponse{}, pdpView{}},
		{apiserver.SecretStatus{}, secretView{}},
	}
	for _, tt := range tests {
		name := reflect.TypeOf(tt.generated).Name()
		assert.Equal(t, jsonNames(tt.generated), jsonNames(tt.view),
			"the view for %s must send the same properties (wire.go)", name)
	}
}

// jsonNames returns the sorted JSON property names of a struct's fields.
func jsonNames(v any) []string {
	typ := reflect.TypeOf(v)
	names := make([]string, 0, typ.NumField())
	for i := range typ.NumField() {
		tag, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		names = append(names, tag)
	}
	sort.Strings(names)

	return names
}
