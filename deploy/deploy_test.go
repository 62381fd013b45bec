// Package deploy_test checks the deployment recipes in this folder: the
// systemd unit passes systemd-analyze verify, the Kubernetes manifest
// holds what docs/deploy.md says with a policy appwatch accepts, and the
// container image builds where a Docker daemon answers.
package deploy_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/appwatch/appwatch/internal/policy"
)

// TestSystemdUnit verifies the unit with systemd-analyze, its ExecStart
// pointed at an executable that exists here.
func TestSystemdUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("no systemd-analyze")
	}
	b, err := os.ReadFile("systemd/appwatch.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := string(b)
	for _, want := range []string{"DynamicUser=yes", "ProtectSystem=strict", "NoNewPrivileges=yes", "CapabilityBoundingSet=\n", "StateDirectory=appwatch", "ExecReload=/bin/kill -HUP $MAINPID"} {
		if !strings.Contains(unit, want) {
			t.Errorf("the unit lacks %q", want)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "appwatch.service")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(unit, "/usr/local/bin/appwatch", self)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", path).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// object is what the test reads of a Kubernetes object.
type object struct {
	Kind string
	Data map[string]string
	Spec struct {
		Replicas *int
		Template struct {
			Spec struct {
				SecurityContext struct {
					RunAsNonRoot bool `yaml:"runAsNonRoot"`
				} `yaml:"securityContext"`
				Containers []struct {
					Args           []string
					ReadinessProbe struct {
						HTTPGet struct{ Path string } `yaml:"httpGet"`
					} `yaml:"readinessProbe"`
					LivenessProbe struct {
						HTTPGet struct{ Path string } `yaml:"httpGet"`
					} `yaml:"livenessProbe"`
					SecurityContext struct {
						ReadOnlyRootFilesystem bool `yaml:"readOnlyRootFilesystem"`
					} `yaml:"securityContext"`
				}
			}
		}
		VolumeClaimTemplates []any `yaml:"volumeClaimTemplates"`
	}
}

// TestKubernetesManifest reads the manifest's objects: a StatefulSet of
// one with a volume for the SQLite store, probes on /readyz and
// /healthz, a non-root read-only container, and a policy appwatch loads.
func TestKubernetesManifest(t *testing.T) {
	f, err := os.Open("kubernetes/appwatch.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dec := yaml.NewDecoder(f)
	byKind := map[string]object{}
	for {
		var o object
		if err := dec.Decode(&o); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		byKind[o.Kind] = o
	}
	ss, ok := byKind["StatefulSet"]
	if !ok {
		t.Fatalf("no StatefulSet in %v", byKind)
	}
	pod := ss.Spec.Template.Spec
	if ss.Spec.Replicas == nil || *ss.Spec.Replicas != 1 || len(ss.Spec.VolumeClaimTemplates) != 1 {
		t.Errorf("StatefulSet: want one replica and one volume claim for the SQLite store")
	}
	if !pod.SecurityContext.RunAsNonRoot || len(pod.Containers) != 1 {
		t.Fatalf("pod: want one container, run as non-root")
	}
	c := pod.Containers[0]
	if c.ReadinessProbe.HTTPGet.Path != "/readyz" || c.LivenessProbe.HTTPGet.Path != "/healthz" || !c.SecurityContext.ReadOnlyRootFilesystem {
		t.Errorf("container: probes %q and %q, read-only root %v", c.ReadinessProbe.HTTPGet.Path, c.LivenessProbe.HTTPGet.Path, c.SecurityContext.ReadOnlyRootFilesystem)
	}
	if !slices.Contains(c.Args, "watch") || !slices.Contains(c.Args, "--store=$(APPWATCH_STORE)") || !slices.Contains(c.Args, "--config=/etc/appwatch/policy.yaml") {
		t.Errorf("container args %v", c.Args)
	}
	pol := filepath.Join(t.TempDir(), "policy.yaml")
	if err := os.WriteFile(pol, []byte(byKind["ConfigMap"].Data["policy.yaml"]), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := policy.Load(pol); err != nil {
		t.Errorf("the ConfigMap's policy: %v", err)
	}
}

// TestDockerfile builds the image where a Docker daemon answers (and can
// pull its base images); elsewhere it skips.
func TestDockerfile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a container image")
	}
	docker, err := exec.LookPath("docker")
	if err != nil {
		t.Skip("no docker")
	}
	if err := exec.Command(docker, "info").Run(); err != nil {
		t.Skip("no Docker daemon answers")
	}
	cmd := exec.Command(docker, "build", "-f", "deploy/Dockerfile", "-t", "appwatch:test", ".")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docker build: %v\n%s", err, out)
	}
	out, err := exec.Command(docker, "run", "--rm", "appwatch:test", "version").CombinedOutput()
	if err != nil {
		t.Fatalf("docker run appwatch:test version: %v\n%s", err, out)
	}
}
