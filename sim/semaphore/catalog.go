package semaphore

import "github.com/winsim/winsim/sim"

// Sources cited by the rules.
const (
	srcCreateDoc  = "DOC CreateSemaphoreW"
	srcReleaseDoc = "DOC ReleaseSemaphore"
	srcObjectsDoc = "DOC Semaphore Objects"
	srcWineSync   = "WT wine dlls/kernel32/tests/sync.c"
	srcWineNtSync = "WT wine dlls/ntdll/tests/sync.c"
	srcROSSem     = "ROS ntoskrnl/ex/sem.c NtReleaseSemaphore"
	srcWineServer = "WI wine server/semaphore.c release_semaphore; WI wine dlls/ntdll/unix/sync.c NtReleaseSemaphore"
)

// Rule ids of the family, as the catalog, scenarios and the oracle name
// them.
const (
	RuleCreateCounts      = "semaphore.create.counts"
	RuleWaitTakesOne      = "semaphore.wait.takes-one"
	RuleReleaseAdds       = "semaphore.release.adds"
	RuleReleaseLimit      = "semaphore.release.limit"
	RuleReleaseCount      = "semaphore.release.count-positive"
	RuleReleaseCountWine  = "semaphore.release.count-unchecked-wine"
	RuleReleaseHandle     = "semaphore.release.invalid-handle"
	RuleWaitDuplicateWine = "semaphore.wait.duplicate-wine"
)

// Rules is the semaphore part of the behavior catalog.
func Rules() []sim.Rule {
	return []sim.Rule{
		{ID: RuleCreateCounts, Status: sim.Modeled,
			Statement: "CreateSemaphore fails with ERROR_INVALID_PARAMETER and returns NULL when lMaximumCount is not above zero, lInitialCount is below zero, or lInitialCount is above lMaximumCount",
			Source:    srcCreateDoc + " (lInitialCount, lMaximumCount); " + srcWineNtSync + ":470-471 (observed: initial 2, maximum 1 is STATUS_INVALID_PARAMETER)"},
		{ID: RuleWaitTakesOne, Status: sim.Modeled,
			Statement: "a semaphore is signaled while its count is above zero; every wait it satisfies decreases the count by one",
			Source:    srcObjectsDoc + "; " + srcCreateDoc + " (remarks)"},
		{ID: RuleReleaseAdds, Status: sim.Modeled,
			Statement: "ReleaseSemaphore adds lReleaseCount to the count and stores the count before the call in *lpPreviousCount, which may be NULL",
			Source:    srcReleaseDoc + "; " + srcWineNtSync + ":509-516 (observed: previous counts 0 then 1)"},
		{ID: RuleReleaseLimit, Status: sim.Modeled,
			Statement: "ReleaseSemaphore that would raise the count above lMaximumCount fails with ERROR_TOO_MANY_POSTS, leaves the count as it was and does not write *lpPreviousCount",
			Source:    srcReleaseDoc + " (the count is not changed and the function returns FALSE); " + srcWineSync + ":167-168 (observed: a release at the maximum fails); " + srcWineNtSync + ":504-506, 519-521 (observed: STATUS_SEMAPHORE_LIMIT_EXCEEDED, previous count untouched)"},
		{ID: RuleReleaseCount, Status: sim.Modeled,
			Statement: "ReleaseSemaphore with lReleaseCount zero or below fails with ERROR_INVALID_PARAMETER, before the handle is looked at",
			Source:    srcReleaseDoc + " (lReleaseCount must be greater than zero); " + srcROSSem + " (the count is checked before the handle is referenced); setting semaphore.release.count-checked"},
		{ID: RuleReleaseCountWine, Status: sim.Modeled,
			Statement: "Wine 8.0 passes lReleaseCount as an unsigned count: zero succeeds and changes nothing, a negative count fails with ERROR_TOO_MANY_POSTS",
			Source:    srcWineServer + "; setting semaphore.release.count-checked"},
		{ID: RuleReleaseHandle, Status: sim.Modeled,
			Statement: "ReleaseSemaphore on a closed or never-issued handle, or on a handle to another kind of object, fails with ERROR_INVALID_HANDLE",
			Source:    srcReleaseDoc + "; DOC RtlNtStatusToDosError (STATUS_OBJECT_TYPE_MISMATCH is ERROR_INVALID_HANDLE)"},
		{ID: RuleWaitDuplicateWine, Status: sim.OutOfScope,
			Statement: "under Wine 8.0 a wait-all naming a semaphore more than once takes one unit per copy, and stops wineserver on an assertion when the count is below the copies",
			Source:    "WI wine server/semaphore.c semaphore_satisfied; setting kernel.wait.duplicate-wait-all-rejected",
			Reason:    "it ends the Wine session, not the call: no scenario can run it under Wine, and Windows refuses the wait; the model takes at most the count, never going below zero"},
	}
}
