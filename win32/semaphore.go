package win32

// Access rights of semaphore handles (winnt.h).
const (
	SEMAPHORE_MODIFY_STATE uint32 = 0x0002
	SEMAPHORE_ALL_ACCESS   uint32 = 0x001F0003
)
