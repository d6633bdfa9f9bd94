// Package extracttest builds the documents the tests of package extract
// feed it: hostile ones (zip bombs, deep nesting, encrypted files, scanned
// and cyclic PDFs) and samples of every format, written with
// internal/docwrite. Only tests import it.
package extracttest
