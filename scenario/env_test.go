package scenario

import (
	"go.yaml.in/yaml/v3"

	"github.com/winsim/winsim/sim"
)

// testRules is a small catalog for the tests.
var testRules = []sim.Rule{
	{ID: "a.b", Statement: "a test rule", Source: "test", Status: sim.Modeled},
	{ID: "scm.notify.immediate-current-bit", Statement: "registering for the current state queues the callback at once", Source: "test", Status: sim.Modeled},
	{ID: "fake.close-null", Statement: "closing NULL is a caller mistake", Source: "test", Status: sim.Modeled},
	{ID: "fake.choice", Statement: "the model picks one answer where the docs are silent", Source: "model choice", Status: sim.ModelChoice},
}

func testEnv() *Env {
	cat, err := sim.NewCatalog(testRules)
	if err != nil {
		panic(err)
	}
	return NewEnv(cat)
}

// yamlPos is a position for synthesized nodes in tests.
var yamlPos = yaml.Node{Line: 1, Column: 1}
