//go:build !linux

package extract

import "errors"

// mapMemory is not available here: the engine's memory is a Go slice.
func mapMemory(uint64) ([]byte, error) { return nil, errors.ErrUnsupported }

func discardMemory([]byte) {}

func unmapMemory([]byte) {}
