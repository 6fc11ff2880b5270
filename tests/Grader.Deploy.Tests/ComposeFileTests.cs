using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Grader.Deploy.Tests;

public sealed class ComposeFileTests
{
    private readonly YamlMappingNode _services;
    private readonly Dockerfile _image = Dockerfile.Load();

    public ComposeFileTests()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Repository.Read("docker-compose.yml")));
        _services = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    private YamlMappingNode Grader => (YamlMappingNode)_services["grader"];

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;

    [Fact]
    public void The_grader_service_builds_the_Dockerfile()
    {
        var build = (YamlMappingNode)Grader["build"];
        Assert.Equal(Dockerfile.RelativePath, Scalar(build["dockerfile"]));
        Assert.Equal(".", Scalar(build["context"]));
        Assert.False(Grader.Children.ContainsKey("command") || Grader.Children.ContainsKey("entrypoint"), "the compose file overrides the image's ENTRYPOINT");
        foreach (var dependency in ((YamlMappingNode)Grader["depends_on"]).Children.Keys)
        {
            Assert.True(_services.Children.ContainsKey(dependency), $"depends_on {dependency}, which is no service");
        }
    }

    [Fact]
    public void Every_environment_variable_is_a_real_setting_with_a_valid_value()
    {
        var environment = ((YamlMappingNode)Grader["environment"]).Children.ToDictionary(e => Scalar(e.Key), e => (string?)Scalar(e.Value));
        var problems = AppSettings.Problems("docker-compose.yml grader", environment).ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Published_port_and_health_check_use_the_port_the_image_listens_on()
    {
        var ports = ((YamlSequenceNode)Grader["ports"]).Select(Scalar).ToList();
        Assert.All(ports, p => Assert.Equal(_image.ExposedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Split(':')[^1]));
        var test = string.Join(' ', ((YamlSequenceNode)((YamlMappingNode)Grader["healthcheck"])["test"]).Select(Scalar));
        var url = Regex.Match(test, @"http://localhost:(?<port>\d+)(?<path>/\S*)");
        Assert.True(url.Success, $"health check '{test}' asks no local URL");
        Assert.Equal(_image.ExposedPort.ToString(System.Globalization.CultureInfo.InvariantCulture), url.Groups["port"].Value);
        Assert.Equal("/health/ready", url.Groups["path"].Value);
    }

    [Fact]
    public void The_grader_service_gets_what_bubblewrap_needs_and_no_more()
    {
        var options = ((YamlSequenceNode)Grader["security_opt"]).Select(Scalar).ToList();
        Assert.Contains("seccomp:unconfined", options);
        Assert.Contains("apparmor:unconfined", options);
        Assert.False(Grader.Children.ContainsKey("privileged"), "the service must not be privileged");
        Assert.Equal(["ALL"], ((YamlSequenceNode)Grader["cap_drop"]).Select(Scalar));
        Assert.Equal(["SETUID", "SETGID", "KILL"], ((YamlSequenceNode)Grader["cap_add"]).Select(Scalar));
    }
}
