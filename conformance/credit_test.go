package conformance

import (
	"maps"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/winsim/winsim/win32"
)

// TestCredits holds the oracle to its crediting rule: a catalog id is
// credited for an action only where its rule decided the result the oracle
// compared. Each row runs its setup, then one action, under one profile,
// and requires the ids credited by that last action to be exactly the
// listed ones: an access rule on a call that was granted, a rule a setting
// of the profile switches off, or one credited before the setting that
// decides it is read, shows up as an extra id.
func TestCredits(t *testing.T) {
	running := running("base")
	withDependent := seq(running, []Action{with(create("dep", "scm", "dep", all), func(s *scmArgs) { s.deps = []string{"base"} }), start("dep")})
	marked := seq(scmSetup("marked"), []Action{openSvc("h2", "scm", "marked", all), del("h2")})
	queued := seq(scmSetup("queued"), []Action{openSvc("h1", "scm", "queued", all), notify("h1", win32.SERVICE_NOTIFY_STOPPED, "n1")})
	driver := seq(scmSetup("x"), []Action{with(create("drv", "scm", "drv", all), func(s *scmArgs) { s.serviceType = win32.SERVICE_KERNEL_DRIVER })})
	hinted := with(report("base", win32.SERVICE_RUNNING, accept), func(s *scmArgs) { s.status.CheckPoint, s.status.WaitHint = 4, 500 })
	version3 := with(notify("svc", win32.SERVICE_NOTIFY_RUNNING, "n1"), func(s *scmArgs) { s.version = 3 })
	remote := Action{Op: OpOpenSCM, As: "m", Args: scmArgs{machine: strp(`\\elsewhere`), access: win32.SC_MANAGER_CONNECT}}
	regSetup := []Action{lazyOff, regCreate("k", RefNULL, regSoftware+`\Credit`, win32.KEY_ALL_ACCESS, 0), regOpen("r", RefNULL, regSoftware+`\Credit`, win32.KEY_QUERY_VALUE)}
	verify := acquire("p", nil, nil, rsaFull, win32.CRYPT_VERIFYCONTEXT)

	for _, tc := range []struct {
		name, profile string
		setup         []Action
		act           Action
		want          []string
	}{
		// A setting decides: credited where it applies, not where it does not.
		{"stop with an active dependent", "win8", withDependent, control("svc", win32.SERVICE_CONTROL_STOP), []string{"scm.control.dependents-running"}},
		{"stop with an active dependent, dependents unchecked", "wine-8.0", withDependent, control("svc", win32.SERVICE_CONTROL_STOP), []string{"scm.control.dispatch", "scm.control.status-filled"}},
		{"remote machine", "win8", nil, remote, []string{"scm.openscm.remote-machine"}},
		{"remote machine opens the local SCM", "wine-8.0", nil, remote, nil},
		{"hints in a final state", "win8", running, hinted, []string{"scm.status.final-states-zero-hints"}},
		{"hints in a final state kept", "wine-8.0", running, hinted, nil},
		{"invalid state", "win8", running, report("base", 0, 0), []string{"scm.status.invalid-state"}},
		{"unknown version", "win8", scmSetup("v"), version3, []string{"scm.notify.version"}},
		{"unknown version accepted", "wine-8.0", scmSetup("v"), version3, nil},
		{"driver service watched", "win8", driver, notify("drv", win32.SERVICE_NOTIFY_RUNNING, "n2"), []string{"scm.notify.driver-service"}},
		{"driver service watched, accepted", "wine-8.0", driver, notify("drv", win32.SERVICE_NOTIFY_RUNNING, "n2"), nil},
		{"created on a service handle", "win8", scmSetup("m"), notify("svc", win32.SERVICE_NOTIFY_CREATED, "n1"), []string{"scm.notify.mask-handle-mismatch"}},
		{"created on a service handle, accepted", "wine-8.0", scmSetup("m"), notify("svc", win32.SERVICE_NOTIFY_CREATED, "n1"), []string{"scm.notify.mask-zero"}},
		{"start a marked service", "win8", marked, start("svc"), []string{"scm.start.marked-for-delete"}},
		{"start a marked service, unchecked", "wine-8.0", marked, start("svc"), []string{"scm.start.start-pending"}},
		{"open a marked service", "win8", marked, openSvc("x", "scm", "marked", all), []string{"scm.open.marked-for-delete"}},
		{"open a marked service, Wine alike", "wine-8.0", marked, openSvc("x", "scm", "marked", all), []string{"scm.open.marked-for-delete"}},
		{"close withdraws a queued callback", "win8", queued, closeService("h1"), []string{"scm.notify.cancel-on-close", "scm.notify.cancel-queued"}},
		{"close leaves a queued callback", "wine-8.0", queued, closeService("h1"), []string{"scm.notify.cancel-on-close"}},
		// A status rule decides the fields a later call compares.
		{"create a service", "win8", []Action{openSCM("scm", mgrAll)}, create("svc", "scm", "c", all), nil},
		{"STOPPED reported", "win8", running, report("base", win32.SERVICE_STOPPED, 0), nil},
		{"query after STOPPED", "win8", seq(running, []Action{report("base", win32.SERVICE_STOPPED, 0)}), query("svc"), []string{"scm.status.stopped-pid-zero"}},
		// An access rule decides a denial only.
		{"delete granted", "win8", scmSetup("d"), del("svc"), nil},
		{"delete denied", "win8", seq(scmSetup("d"), []Action{openSvc("q", "scm", "d", win32.SERVICE_QUERY_STATUS)}), del("q"), []string{"scm.delete.access"}},
		{"query granted", "win8", scmSetup("q"), query("svc"), []string{"scm.create.stopped", "scm.create.never-started"}},
		{"query granted by the generic mapping", "win8", seq(scmSetup("q"), []Action{openSvc("g", "scm", "q", win32.GENERIC_READ)}), query("g"),
			[]string{"scm.access.generic-mapping", "scm.create.stopped", "scm.create.never-started"}},
		{"query granted by name", "win8", seq(scmSetup("q"), []Action{openSvc("g", "scm", "q", win32.GENERIC_READ|win32.SERVICE_QUERY_STATUS)}), query("g"),
			[]string{"scm.create.stopped", "scm.create.never-started"}},
		{"start denied despite the generic mapping", "win8", seq(scmSetup("q"), []Action{openSvc("g", "scm", "q", win32.GENERIC_READ)}), start("g"),
			[]string{"scm.start.access", "scm.access.generic-mapping"}},
		{"registry set granted", "win8", regSetup, regSet("k", "v", 1), []string{"hive.visibility.no-flush-needed"}},
		{"registry set denied", "win8", regSetup, regSet("r", "v", 1), []string{"hive.set.access"}},
		// The other families' settings.
		{"add-ref with reserved", "win8", []Action{verify}, Action{Op: OpAddRef, H: "p", Args: cspArgs{reserved: true}}, []string{"csp.addref.reserved-flags"}},
		{"add-ref with reserved ignored", "wine-8.0", []Action{verify}, Action{Op: OpAddRef, H: "p", Args: cspArgs{reserved: true}}, []string{"csp.addref.reserved-flags-wine"}},
		{"provider flags", "win8", nil, Action{Op: OpNOpenProv, As: "x", Args: kspArgs{flags: 1}}, []string{"ksp.flags.bad"}},
		{"provider flags ignored", "wine-8.0", nil, Action{Op: OpNOpenProv, As: "x", Args: kspArgs{flags: 1}}, []string{"ksp.flags.ignored-wine", "ksp.open.default"}},
		{"wait-all naming one event twice", "win8", []Action{event("e", true, true)}, waitAll(0, "e", "e"), []string{"kernel.wait.duplicate-wait-all"}},
		{"wait-all naming one event twice, accepted", "wine-8.0", []Action{event("e", true, true)}, waitAll(0, "e", "e"),
			[]string{"kernel.wait.duplicate-wait-all-wine", "kernel.wait.object-index"}},
	} {
		t.Run(tc.name+"/"+tc.profile, func(t *testing.T) {
			res := RunActions(append(slices.Clone(tc.setup), tc.act), newModel, tc.profile, 1)
			require.NoError(t, res.Err)
			require.Empty(t, res.Skipped)
			got := slices.Sorted(maps.Keys(res.LastAsserted))
			want := slices.Sorted(slices.Values(tc.want))
			if want == nil {
				want = []string{}
			}
			if got == nil {
				got = []string{}
			}
			require.Equal(t, want, got, "ids credited by %s under %s", describe(tc.act), tc.profile)
		})
	}
}
