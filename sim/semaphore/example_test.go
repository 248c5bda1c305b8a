package semaphore_test

import (
	"fmt"

	"github.com/winsim/winsim/sim"
	"github.com/winsim/winsim/sim/semaphore"
)

// A semaphore counts: each satisfied wait takes one unit, ReleaseSemaphore
// gives units back, and a release past the maximum is refused.
func Example() {
	m := sim.MustNewMachine(sim.Options{})
	t := m.NewProcess("worker.exe").NewThread("main")

	h, _ := semaphore.CreateSemaphore(t, 1, 2)
	r, _ := t.WaitForSingleObjectEx(h, 0, false)
	fmt.Println("first wait:", r)
	r, _ = t.WaitForSingleObjectEx(h, 0, false)
	fmt.Println("second wait:", r)

	var previous int32
	fmt.Println(semaphore.ReleaseSemaphore(t, h, 2, &previous), "previous", previous)
	fmt.Println(semaphore.ReleaseSemaphore(t, h, 1, nil))
	// Output:
	// first wait: WAIT_OBJECT_0
	// second wait: WAIT_TIMEOUT
	// ERROR_SUCCESS (0) previous 0
	// ERROR_TOO_MANY_POSTS (298)
}
