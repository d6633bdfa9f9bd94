// Package plume holds what belongs to the repository as a whole: the
// documented example configuration, embedded so that `plume config example`
// prints the very file the tests load.
package plume

import _ "embed"

// ExampleConfig is plume.example.yaml: every key of plume.yaml, documented.
//
//go:embed plume.example.yaml
var ExampleConfig string
