// Package scenario reads winsim's YAML scenarios and replays them against a
// backend.Kernel and the family interfaces it implements: the models on any
// system, or the real Windows binding (backend/windows) on Windows and under
// Wine.
//
// A scenario file is decoded in full before its outcome counts. The
// decoder walks yaml.Node trees itself rather than unmarshalling into
// structs, so that every problem carries the file, line and column of the
// node that causes it (unknown keys and constants come with the nearest
// known name), and it reports every problem of a file at once, as an
// ErrorList. It walks the top level's tree, then the steps' a batch at a
// time (stream.go), so that a file of a million steps never becomes one
// tree; on the model, RunFile runs each step as soon as it is decoded.
// Names are resolved at that point: SDK constants through a
// sim.ConstTable, status codes through sim.ParseCode, catalog ids through
// the sim.Catalog of the Env, and variables, buffers and threads against
// what earlier steps declared. YAML aliases and merge keys are refused,
// and there is no text templating: a scenario reads top to bottom, as
// written.
//
// Step kinds live in one table (StepKinds), built from the registered API
// families (Family, RegisterFamily, Families): each family registers its
// step kinds, constants, profile settings and catalog rules from its own
// file, so that a new family adds files and edits none. Each kind describes
// itself: its fields with their types and defaults, what want: compares,
// and the backend capabilities it needs. The decoder, `simrun help steps`
// (WriteHelp), the generated reference (WriteMarkdown) and the JSON Schema
// editors read (WriteSchema) all read that table; Catalog and Settings
// gather the families' rules and settings.
//
// Run replays a decoded scenario, stopping at its first failing step. A
// failure reads like a compiler error:
//
//	scenarios/scm/x.yaml:14:5: NotifyServiceStatusChange(svc, SERVICE_NOTIFY_RUNNING, n1): got ERROR_SUCCESS (0), want ERROR_SERVICE_MARKED_FOR_DELETE (1072)
//
// A scenario whose profiles leave out the backend's profile, or that needs a
// capability the backend lacks, is skipped, never passed. Notification
// callbacks and contract violations must each be asserted by a callbacks or
// violations step; any left over fails the scenario at its end.
//
// The package does not import testing: Run reports through the small
// Reporter interface, and RunTree takes any TB, which *testing.T satisfies,
// so the same scenarios run under go test and from cmd/simrun.
package scenario
