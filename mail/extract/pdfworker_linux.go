package extract

import (
	"os"
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// On Linux a worker is killed by the kernel when the process that started
// it dies (Pdeathsig), even inside an engine call that nothing can stop.
// The signal follows the thread that started the worker, not the process:
// workers are started from one thread kept for the life of the process.

type spawnJob struct {
	cmd  *exec.Cmd
	errc chan error
}

var (
	spawnOnce sync.Once
	spawnJobs = make(chan spawnJob)
)

// startProcess starts cmd from the spawning thread.
func startProcess(cmd *exec.Cmd) error {
	spawnOnce.Do(func() {
		go func() {
			runtime.LockOSThread() // never unlocked: the thread never ends
			for j := range spawnJobs {
				j.errc <- j.cmd.Start()
			}
		}()
	})
	errc := make(chan error, 1)
	spawnJobs <- spawnJob{cmd, errc}
	return <-errc
}

// workerProcAttr puts a worker in a process group of its own (killing the
// group ends the OCR commands it started) and has it killed with its parent.
func workerProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// selfExecutable is the program a worker runs: this process's own file,
// even if a package upgrade has replaced it on disk since.
func selfExecutable() (string, error) {
	if _, err := os.Stat("/proc/self/exe"); err == nil {
		return "/proc/self/exe", nil
	}
	return os.Executable()
}
