package conformance

// Contract rules the oracle reports as violations, by their catalog ids. The
// oracle names them itself rather than reading the models' rule values; the
// credit tests check every id it names is in the catalog.
const (
	// ruleReleaseWithObjects: keys and hashes must be destroyed before their
	// context's final CryptReleaseContext.
	ruleReleaseWithObjects = "csp.contract.release-with-objects"
	// ruleServiceStart: a service must not call NCrypt key-storage functions
	// from ServiceMain before it reports SERVICE_RUNNING.
	ruleServiceStart = "ksp.contract.service-start"
)
