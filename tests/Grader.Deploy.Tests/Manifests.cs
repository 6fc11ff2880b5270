using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace Grader.Deploy.Tests;

// deploy/k8s as kubectl apply -k sees it: the files its kustomization lists, as typed objects.
internal sealed class Manifests
{
    public const string Directory = "deploy/k8s";

    public Manifests()
    {
        var kustomization = new YamlStream();
        kustomization.Load(new StringReader(Repository.Read($"{Directory}/kustomization.yaml")));
        var root = (YamlMappingNode)kustomization.Documents[0].RootNode;
        Resources = [.. ((YamlSequenceNode)root["resources"]).Select(n => ((YamlScalarNode)n).Value!)];
        ImageNames = [.. ((YamlSequenceNode)root["images"]).Select(n => ((YamlScalarNode)((YamlMappingNode)n)["name"]).Value!)];
        Objects = [.. Resources.SelectMany(r => KubernetesYaml.LoadAllFromString(Repository.Read($"{Directory}/{r}")).Select(o => (r, o)))];
    }

    public IReadOnlyList<string> Resources { get; }
    public IReadOnlyList<string> ImageNames { get; }
    public IReadOnlyList<(string File, object Object)> Objects { get; }

    public IEnumerable<T> All<T>() => Objects.Select(o => o.Object).OfType<T>();

    public IEnumerable<V1Deployment> Deployments => All<V1Deployment>();

    // Every pod this directory creates, by the object that creates it.
    public IEnumerable<(string Owner, V1PodTemplateSpec Template)> PodTemplates =>
        Deployments.Select(d => ($"Deployment {d.Metadata.Name}", d.Spec.Template))
            .Concat(All<V1Job>().Select(j => ($"Job {j.Metadata.Name}", j.Spec.Template)));

    public IEnumerable<(string Where, V1Container Container, V1PodTemplateSpec Template)> Containers =>
        PodTemplates.SelectMany(p => (p.Template.Spec.InitContainers ?? []).Concat(p.Template.Spec.Containers)
            .Select(c => ($"{p.Owner} container {c.Name}", c, p.Template)));

    public static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null
        && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value);

    // A port as a Service, probe or Ingress names it (a name or a number) resolved against containers.
    public static int? Resolve(IntOrString port, IEnumerable<V1Container> containers)
    {
        var ports = containers.SelectMany(c => c.Ports ?? []).ToList();
        return int.TryParse(port.Value, out var number)
            ? ports.Any(p => p.ContainerPort == number) ? number : null
            : ports.FirstOrDefault(p => p.Name == port.Value)?.ContainerPort;
    }

    // The environment a container starts with: its env and every ConfigMap it takes whole.
    // A value from a Secret or the downward API is present but unknown here (null).
    public Dictionary<string, string?> Environment(V1Container container)
    {
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var source in container.EnvFrom ?? [])
        {
            var name = source.ConfigMapRef?.Name ?? throw new InvalidOperationException($"{container.Name}: envFrom other than a ConfigMap");
            var map = All<V1ConfigMap>().SingleOrDefault(m => m.Metadata.Name == name)
                ?? throw new InvalidOperationException($"{container.Name}: envFrom names ConfigMap {name}, which {Directory} does not define");
            foreach (var (key, value) in map.Data ?? new Dictionary<string, string>())
            {
                variables[source.Prefix + key] = value;
            }
        }
        foreach (var variable in container.Env ?? [])
        {
            variables[variable.Name] = variable.ValueFrom is null ? variable.Value : null;
        }
        return variables;
    }
}
