// Package api holds the generator configuration for the code in gen/ and the released spec
// baselines that contract diffing compares against. Run `go generate ./...` from the module
// root to regenerate gen/ from openapi.yaml.
package api

//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config client.cfg.yaml ../openapi.yaml
//go:generate go run github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen -config server.cfg.yaml ../openapi.yaml
