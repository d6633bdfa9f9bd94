package extract

import "syscall"

// mapMemory reserves size bytes of zeroed memory outside the Go heap; pages
// become resident only when written.
func mapMemory(size uint64) ([]byte, error) {
	return syscall.Mmap(-1, 0, int(size), syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_PRIVATE|syscall.MAP_ANON|syscall.MAP_NORESERVE)
}

// discardMemory drops the contents of b's pages: their memory goes back to
// the system, and they read as zeros if touched again.
func discardMemory(b []byte) {
	_ = syscall.Madvise(b, syscall.MADV_DONTNEED)
}

// unmapMemory ends a reservation made by mapMemory.
func unmapMemory(b []byte) {
	_ = syscall.Munmap(b)
}
