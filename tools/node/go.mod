// This folder holds npm packages for the test suites, not Go code. This
// go.mod only keeps `go test ./...` and `go vet ./...` of the main module
// out of node_modules (some npm packages ship Go sources).
module plume.invalid/tools/node

go 1.26
