// Package bench compares Plume's mail parser with github.com/jhillyerd/enmime
// on the same generated inputs. It is a separate module so that Plume's own
// module does not depend on enmime.
//
// Run from this directory:
//
//	go test -run '^$' -bench . -benchmem -count 5
package bench
