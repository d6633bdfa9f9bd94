//go:build !linux

package extract

import (
	"os"
	"os/exec"
	"syscall"
)

func startProcess(cmd *exec.Cmd) error { return cmd.Start() }

// workerProcAttr puts a worker in a process group of its own: killing the
// group ends the OCR commands it started.
func workerProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true}
}

func selfExecutable() (string, error) { return os.Executable() }
