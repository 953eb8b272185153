package factpulsetest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Token types, as the claim token_type names them.
const (
	accessType  = "access"
	refreshType = "refresh"
)

// mintedUser is the user behind tokens made by [Fake.AccountToken] and
// [Fake.ClientToken].
var mintedUser = user{id: 1, name: "factpulsetest"}

// claims is the payload of the fake's JWTs. ClientUID is empty in an
// account-level token.
type claims struct {
	TokenType string      `json:"token_type"`
	IssuedAt  numericDate `json:"iat"`
	Expires   numericDate `json:"exp"`
	ID        string      `json:"jti"`
	UserID    int         `json:"user_id"`
	Username  string      `json:"username"`
	ClientUID string      `json:"client_uid,omitempty"`
}

// numericDate is a JWT time: whole seconds when the time has no fraction of
// a second, else seconds with milliseconds (1767225600.25), which RFC 7519
// allows. The fake only makes fractions for sub-second lifetimes.
type numericDate time.Time

func (d numericDate) MarshalJSON() ([]byte, error) {
	ms := time.Time(d).UnixMilli()
	if ms%1000 == 0 {
		return strconv.AppendInt(nil, ms/1000, 10), nil
	}
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

func (d *numericDate) UnmarshalJSON(b []byte) error {
	secs, err := strconv.ParseFloat(string(b), 64)
	if err != nil {
		return err
	}
	*d = numericDate(time.UnixMilli(int64(math.Round(secs * 1000))))
	return nil
}

// AccountToken mints an account-level access token: a JWT without a
// client_uid claim, valid for the access lifetime (see [WithTokenLifetimes]).
func (f *Fake) AccountToken() string {
	return f.mint(accessType, mintedUser, "")
}

// ClientToken mints a client-level access token for the client uid, valid for
// the access lifetime. The fake does not check that the client exists.
func (f *Fake) ClientToken(uid string) string {
	return f.mint(accessType, mintedUser, uid)
}

// mint signs a new token of the given type.
func (f *Fake) mint(kind string, u user, clientUID string) string {
	life := f.cfg.access
	if kind == refreshType {
		life = f.cfg.refresh
	}

	issued := f.now().Truncate(time.Millisecond)
	if life%time.Second == 0 {
		issued = issued.Truncate(time.Second)
	}
	c := claims{
		TokenType: kind,
		IssuedAt:  numericDate(issued),
		Expires:   numericDate(issued.Add(life)),
		ID:        randomID(),
		UserID:    u.id,
		Username:  u.name,
		ClientUID: clientUID,
	}
	return f.sign(c)
}

// sign encodes the claims as an HS256 JWT with the fake's key.
func (f *Fake) sign(c claims) string {
	header := encodeSegment([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload, _ := json.Marshal(c) // claims always encode
	unsigned := header + "." + encodeSegment(payload)
	return unsigned + "." + encodeSegment(f.mac(unsigned))
}

func (f *Fake) mac(s string) []byte {
	h := hmac.New(sha256.New, f.key)
	h.Write([]byte(s))
	return h.Sum(nil)
}

// Errors of token checks; their text goes out as the 401 detail.
var (
	errNoToken      = errors.New("Not authenticated")
	errBadToken     = errors.New("Invalid token")
	errExpiredToken = errors.New("Token has expired")
)

// verify checks a token's signature, expiry and type and returns its claims.
func (f *Fake) verify(token, kind string) (claims, error) {
	var c claims
	parts := strings.Split(token, ".")
	if len(parts) != 3 || !f.validHeader(parts[0]) {
		return c, errBadToken
	}

	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !hmac.Equal(sig, f.mac(parts[0]+"."+parts[1])) {
		return c, errBadToken
	}

	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(payload, &c) != nil || c.TokenType != kind {
		return c, errBadToken
	}

	if !f.now().Before(time.Time(c.Expires)) {
		return c, errExpiredToken
	}
	return c, nil
}

// validHeader tells whether a JWT header names HS256, the only algorithm the
// fake accepts.
func (f *Fake) validHeader(seg string) bool {
	raw, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return false
	}
	var h struct {
		Alg string `json:"alg"`
	}
	return json.Unmarshal(raw, &h) == nil && h.Alg == "HS256"
}

// authenticate reads and checks the bearer token of a request.
func (f *Fake) authenticate(r *http.Request) (claims, error) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return claims{}, errNoToken
	}
	return f.verify(strings.TrimSpace(token), accessType)
}

func encodeSegment(b []byte) string {
	return base64.RawURLEncoding.EncodeToString(b)
}

func randomID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// loginRequest is the body of POST /api/token/.
type loginRequest struct {
	Username  string  `json:"username"`
	Password  string  `json:"password"`
	ClientUID *string `json:"client_uid"`
}

// login serves POST /api/token/: 200 {"access","refresh"}, 401 for bad
// credentials, 400 for a malformed body or a client_uid that is not the uid
// of a client of the fake.
func (f *Fake) login(w http.ResponseWriter, r *http.Request) {
	status := f.loginStatus(w, r)

	f.mu.Lock()
	defer f.mu.Unlock()

	f.stats.Logins++
	if status != http.StatusOK {
		f.stats.FailedLogins++
	}
}

func (f *Fake) loginStatus(w http.ResponseWriter, r *http.Request) int {
	if r.Method != http.MethodPost {
		return writeDetail(w, http.StatusMethodNotAllowed, `Method "`+r.Method+`" not allowed.`)
	}

	var req loginRequest
	if json.NewDecoder(r.Body).Decode(&req) != nil {
		return writeDetail(w, http.StatusBadRequest, "JSON parse error.")
	}
	if req.Username == "" || req.Password == "" {
		return writeDetail(w, http.StatusBadRequest, "username and password are required.")
	}

	u, ok := f.user(req.Username, req.Password)
	if !ok {
		return writeDetail(w, http.StatusUnauthorized,
			"No active account found with the given credentials")
	}

	clientUID := ""
	if req.ClientUID != nil && *req.ClientUID != "" {
		uid, ok := f.knownClient(*req.ClientUID)
		if !ok {
			return writeDetail(w, http.StatusBadRequest, "client_uid names no client of this account.")
		}
		clientUID = uid
	}

	return writeJSON(w, http.StatusOK, map[string]string{
		"access":  f.mint(accessType, u, clientUID),
		"refresh": f.mint(refreshType, u, clientUID),
	})
}

// user finds a login by its credentials.
func (f *Fake) user(name, password string) (user, bool) {
	for _, u := range f.cfg.users {
		if u.name == name && hmac.Equal([]byte(u.password), []byte(password)) {
			return u, true
		}
	}
	return user{}, false
}

// knownClient tells whether s is the uid of a client, and gives its
// canonical form.
func (f *Fake) knownClient(s string) (string, bool) {
	uid, err := uuid.Parse(s)
	if err != nil {
		return "", false
	}

	f.mu.Lock()
	defer f.mu.Unlock()

	_, ok := f.clients[uid]
	return uid.String(), ok
}

// refresh serves POST /api/token/refresh/: 200 {"access"} with a new access
// token of the same user and scope, 401 when the refresh token is invalid or
// expired, 400 without one.
func (f *Fake) refresh(w http.ResponseWriter, r *http.Request) {
	status := f.refreshStatus(w, r)

	f.mu.Lock()
	defer f.mu.Unlock()

	f.stats.Refreshes++
	if status != http.StatusOK {
		f.stats.FailedRefreshes++
	}
}

func (f *Fake) refreshStatus(w http.ResponseWriter, r *http.Request) int {
	if r.Method != http.MethodPost {
		return writeDetail(w, http.StatusMethodNotAllowed, `Method "`+r.Method+`" not allowed.`)
	}

	var req struct {
		Refresh string `json:"refresh"`
	}
	if json.NewDecoder(r.Body).Decode(&req) != nil {
		return writeDetail(w, http.StatusBadRequest, "JSON parse error.")
	}
	if req.Refresh == "" {
		return writeDetail(w, http.StatusBadRequest, "refresh is required.")
	}

	c, err := f.verify(req.Refresh, refreshType)
	if err != nil {
		return writeJSON(w, http.StatusUnauthorized, map[string]string{
			"detail": "Token is invalid or expired",
			"code":   "token_not_valid",
		})
	}

	u := user{id: c.UserID, name: c.Username}
	return writeJSON(w, http.StatusOK, map[string]string{
		"access": f.mint(accessType, u, c.ClientUID),
	})
}
