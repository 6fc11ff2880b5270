using System.Text.RegularExpressions;
using k8s;
using k8s.Models;

namespace Grader.Deploy.Tests;

public sealed class KubernetesManifestTests
{
    private readonly Manifests _manifests = new();
    private readonly Dockerfile _image = Dockerfile.Load();

    [Fact]
    public void Every_manifest_file_is_in_the_kustomization_and_loads_as_known_kinds()
    {
        var files = Directory.GetFiles(Repository.FullPath(Manifests.Directory), "*.yaml")
            .Select(Path.GetFileName).Where(f => f != "kustomization.yaml");
        Assert.Empty(files.Except(_manifests.Resources));
        Assert.All(_manifests.Objects, o => Assert.IsAssignableFrom<IKubernetesObject>(o.Object));
        Assert.Contains(_manifests.Deployments, d => d.Metadata.Name == "grader-api");
        Assert.Contains(_manifests.Deployments, d => d.Metadata.Name == "grader-worker");
    }

    [Fact]
    public void Deployment_selectors_match_their_pod_labels()
    {
        Assert.All(_manifests.Deployments, d =>
            Assert.True(Manifests.Selects(d.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels),
                $"Deployment {d.Metadata.Name}: selector does not match its pod template's labels"));
    }

    [Fact]
    public void Services_select_pods_and_target_their_container_ports()
    {
        var services = _manifests.All<V1Service>().ToList();
        Assert.NotEmpty(services);
        foreach (var service in services)
        {
            var pods = _manifests.PodTemplates.Where(p => Manifests.Selects(service.Spec.Selector, p.Template.Metadata.Labels)).ToList();
            Assert.True(pods.Count > 0, $"Service {service.Metadata.Name} selects no pod");
            foreach (var port in service.Spec.Ports)
            {
                Assert.All(pods, p => Assert.True(Manifests.Resolve(port.TargetPort, p.Template.Spec.Containers) is not null,
                    $"Service {service.Metadata.Name} port {port.Name}: targetPort {port.TargetPort.Value} is no container port of {p.Owner}"));
            }
        }
    }

    [Fact]
    public void Ingress_backends_are_ports_of_defined_services()
    {
        var services = _manifests.All<V1Service>().ToList();
        var backends = _manifests.All<V1Ingress>().SelectMany(i => i.Spec.Rules).SelectMany(r => r.Http.Paths).Select(p => p.Backend.Service).ToList();
        Assert.NotEmpty(backends);
        Assert.All(backends, b =>
        {
            var service = services.SingleOrDefault(s => s.Metadata.Name == b.Name);
            Assert.True(service is not null, $"Ingress backend {b.Name} is no Service");
            Assert.Contains(service.Spec.Ports, p => b.Port.Name is { } name ? p.Name == name : p.Port == b.Port.Number);
        });
    }

    [Fact]
    public void Disruption_budgets_and_the_autoscaler_point_at_real_deployments()
    {
        Assert.All(_manifests.All<V1PodDisruptionBudget>(), b =>
            Assert.True(_manifests.Deployments.Any(d => Manifests.Selects(b.Spec.Selector.MatchLabels, d.Spec.Template.Metadata.Labels)),
                $"PodDisruptionBudget {b.Metadata.Name} selects no Deployment's pods"));
        var hpa = Assert.Single(_manifests.All<V2HorizontalPodAutoscaler>());
        Assert.Equal("Deployment", hpa.Spec.ScaleTargetRef.Kind);
        Assert.Contains(_manifests.Deployments, d => d.Metadata.Name == hpa.Spec.ScaleTargetRef.Name);
        // The Prometheus exporter writes the meter's dotted names with underscores.
        var gauges = Regex.Matches(Repository.Read("src/Grader.Api/Observability/GraderMetrics.cs"), """CreateObservableGauge\("([\w.]+)""")
            .Select(m => m.Groups[1].Value.Replace('.', '_')).ToList();
        Assert.All(hpa.Spec.Metrics, m => Assert.Contains(m.External.Metric.Name, gauges));
    }

    [Fact]
    public void Probes_ask_the_health_endpoints_on_a_container_port()
    {
        var endpoints = Regex.Matches(Repository.Read("src/Grader.Api/Observability/HealthChecks.cs"), """MapHealthChecks\("([^"]+)""")
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["/health/live", "/health/ready"], endpoints);
        var served = _manifests.Deployments.SelectMany(d => d.Spec.Template.Spec.Containers.Select(c => (Where: $"Deployment {d.Metadata.Name} container {c.Name}", Container: c))).ToList();
        Assert.All(served, s =>
        {
            Assert.True(s.Container.LivenessProbe is not null && s.Container.ReadinessProbe is not null, $"{s.Where}: no liveness or readiness probe");
            void Check(V1Probe? probe, string path)
            {
                if (probe is null)
                {
                    return;
                }
                Assert.True(probe.HttpGet.Path == path, $"{s.Where}: probe asks {probe.HttpGet.Path}, expected {path}");
                Assert.True(Manifests.Resolve(probe.HttpGet.Port, [s.Container]) == _image.ExposedPort,
                    $"{s.Where}: probe port {probe.HttpGet.Port.Value} is not the container port {_image.ExposedPort}");
            }
            Check(s.Container.StartupProbe, "/health/live");
            Check(s.Container.LivenessProbe, "/health/live");
            Check(s.Container.ReadinessProbe, "/health/ready");
        });
    }

    [Fact]
    public void Every_environment_variable_is_a_real_setting_with_a_valid_value()
    {
        var problems = _manifests.Containers.SelectMany(c => AppSettings.Problems(c.Where, _manifests.Environment(c.Container))).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Containers_run_the_image_as_the_Dockerfile_starts_it()
    {
        var image = Assert.Single(_manifests.ImageNames);
        Assert.All(_manifests.Containers, c =>
        {
            Assert.True(c.Container.Image == image, $"{c.Where}: image {c.Container.Image}; every role runs the one image {image}");
            Assert.True(c.Container.Command is null || c.Container.Command.SequenceEqual(_image.Entrypoint),
                $"{c.Where}: command replaces the image's ENTRYPOINT {string.Join(' ', _image.Entrypoint)}");
            Assert.True(c.Container.WorkingDir is null || c.Container.WorkingDir == _image.WorkDir, $"{c.Where}: workingDir is not {_image.WorkDir}");
            Assert.All(c.Container.Ports ?? [], p => Assert.True(p.ContainerPort == _image.ExposedPort,
                $"{c.Where}: port {p.ContainerPort}, the image listens on {_image.ExposedPort}"));
        });
        // Servers get no arguments; the migrations run with the one the program knows.
        Assert.All(_manifests.Deployments.SelectMany(d => d.Spec.Template.Spec.Containers), c => Assert.Null(c.Args));
        Assert.Contains("""args is ["migrate", ..]""", Repository.Read("src/Grader.Api/Program.cs"), StringComparison.Ordinal);
        var job = Assert.Single(_manifests.All<V1Job>());
        Assert.Equal(["migrate"], Assert.Single(job.Spec.Template.Spec.Containers).Args);
        Assert.All(_manifests.Deployments, d => Assert.Contains(d.Spec.Template.Spec.InitContainers ?? [], c => c.Args is ["migrate"]));
    }

    [Fact]
    public void No_secret_is_committed_and_every_secret_reference_is_documented()
    {
        Assert.All(_manifests.All<V1Secret>(), s => Assert.True(s.Data is null && s.StringData is null, $"Secret {s.Metadata.Name} carries values"));
        var readme = Repository.Read("deploy/README.md");
        var references = _manifests.Containers.SelectMany(c => c.Container.Env ?? []).Select(e => e.ValueFrom?.SecretKeyRef).OfType<V1SecretKeySelector>().DistinctBy(r => (r.Name, r.Key)).ToList();
        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(readme.Contains($"--from-literal={r.Key}=", StringComparison.Ordinal) && readme.Contains(r.Name, StringComparison.Ordinal),
            $"deploy/README.md does not show how to create key {r.Key} of Secret {r.Name}"));
        Assert.All(_manifests.All<V1ConfigMap>(), m => Assert.All(m.Data.Keys, k =>
            Assert.DoesNotMatch("(?i)password|secret|encryptionkey|connectionstrings", k)));
    }

    [Fact]
    public void Only_the_workers_get_what_bubblewrap_needs_and_no_pod_is_privileged()
    {
        Assert.All(_manifests.Containers, c => Assert.NotEqual(true, c.Container.SecurityContext?.Privileged));
        Assert.All(_manifests.Containers, c => Assert.False(c.Container.SecurityContext?.Capabilities?.Add?.Contains("SYS_ADMIN") ?? false, c.Where));
        var worker = _manifests.Deployments.Single(d => d.Metadata.Name == "grader-worker").Spec.Template.Spec;
        Assert.Equal("Unconfined", worker.SecurityContext.SeccompProfile.Type);
        Assert.Equal(["SETUID", "SETGID", "KILL"], worker.Containers.Single().SecurityContext.Capabilities.Add);
        var api = _manifests.Deployments.Single(d => d.Metadata.Name == "grader-api").Spec.Template.Spec;
        Assert.True(api.SecurityContext.RunAsNonRoot);
        Assert.Equal("RuntimeDefault", api.SecurityContext.SeccompProfile.Type);
    }
}
