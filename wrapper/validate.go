package factpulse

import (
	"unicode/utf8"

	"github.com/google/uuid"
)

// The limits the spec puts on client properties.
const (
	maxNameLen        = 255
	maxDescriptionLen = 1000
	siretLen          = 14
	maxPageSize       = 100
)

// checkUID accepts the canonical text form of a UUID, 36 characters with hyphens, in
// either case. Other forms that some parsers accept (braces, a urn: prefix, no hyphens)
// are refused rather than rewritten.
func checkUID(uid string) (uuid.UUID, error) {
	if len(uid) != 36 {
		return uuid.UUID{}, &InputError{Field: "uid", Rule: "must be a UUID such as " +
			"3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f"}
	}

	id, err := uuid.Parse(uid)
	if err != nil {
		return uuid.UUID{}, &InputError{Field: "uid", Rule: "must be a UUID such as " +
			"3f0c8a4e-5b1d-4c2a-9e7f-1a2b3c4d5e6f"}
	}

	return id, nil
}

// checkUTF8 refuses text that is not valid UTF-8: JSON encoding would replace the bad
// bytes with U+FFFD and send something other than what the caller gave.
func checkUTF8(field, v string) error {
	if !utf8.ValidString(v) {
		return &InputError{Field: field, Rule: "must be valid UTF-8"}
	}

	return nil
}

func checkName(name string) error {
	if err := checkUTF8("name", name); err != nil {
		return err
	}

	n := utf8.RuneCountInString(name)
	switch {
	case n == 0:
		return &InputError{Field: "name", Rule: "must not be empty"}
	case n > maxNameLen:
		return &InputError{Field: "name", Rule: "must be at most 255 characters"}
	}

	return nil
}

func checkDescription(d string) error {
	if err := checkUTF8("description", d); err != nil {
		return err
	}
	if utf8.RuneCountInString(d) > maxDescriptionLen {
		return &InputError{Field: "description", Rule: "must be at most 1000 characters"}
	}

	return nil
}

// checkSIRET accepts exactly 14 ASCII digits.
func checkSIRET(s string) error {
	ok := len(s) == siretLen
	for i := 0; ok && i < len(s); i++ {
		ok = s[i] >= '0' && s[i] <= '9'
	}
	if !ok {
		return &InputError{Field: "siret", Rule: "must be exactly 14 digits"}
	}

	return nil
}

func (c ClientCreate) validate() error {
	if err := checkName(c.Name); err != nil {
		return err
	}
	if c.Description != nil {
		if err := checkDescription(*c.Description); err != nil {
			return err
		}
	}
	if c.SIRET != nil {
		return checkSIRET(*c.SIRET)
	}

	return nil
}

func (u ClientUpdate) validate() error {
	if v, ok := u.Name.Value(); ok {
		if err := checkName(v); err != nil {
			return err
		}
	}
	if v, ok := u.Description.Value(); ok {
		if err := checkDescription(v); err != nil {
			return err
		}
	}
	if v, ok := u.SIRET.Value(); ok {
		return checkSIRET(v)
	}

	return nil
}

func (u PDPConfigUpdate) validate() error {
	required := []struct{ field, value string }{
		{"flowServiceUrl", u.FlowServiceURL},
		{"tokenUrl", u.TokenURL},
		{"oauthClientId", u.OAuthClientID},
		{"clientSecret", string(u.ClientSecret)},
	}
	for _, r := range required {
		if r.value == "" {
			return &InputError{Field: r.field, Rule: "is required"}
		}
		if err := checkUTF8(r.field, r.value); err != nil {
			return err
		}
	}

	return nil
}

func (o ListOptions) validate() error {
	if o.Page < 0 {
		return &InputError{Field: "page", Rule: "must be at least 1 (or 0 for the first page)"}
	}
	if o.PageSize < 0 || o.PageSize > maxPageSize {
		return &InputError{Field: "pageSize",
			Rule: "must be from 1 to 100 (or 0 for the service's default)"}
	}

	return nil
}
