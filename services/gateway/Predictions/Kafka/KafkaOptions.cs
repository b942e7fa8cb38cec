using System.ComponentModel.DataAnnotations;

namespace Orbit.Gateway.Predictions.Kafka;

/// <summary>
/// The optional Kafka ingress and results of asynchronous predictions: off unless
/// <see cref="BootstrapServers"/> is set. <see cref="Settings"/> passes any further librdkafka
/// property (<c>security.protocol</c>, <c>sasl.mechanism</c>, …) to both the consumer and the producer.
/// </summary>
public sealed class KafkaOptions
{
    public const string Section = "Orbit:Kafka";

    /// <summary><c>host:port[,host:port…]</c> of the cluster; empty (the default) leaves Kafka off.</summary>
    public string BootstrapServers { get; set; } = "";

    [Required]
    public string RequestsTopic { get; set; } = "orbit.predictions.requests";

    [Required]
    public string ResultsTopic { get; set; } = "orbit.predictions.results";

    [Required]
    public string ErrorsTopic { get; set; } = "orbit.predictions.errors";

    /// <summary>The consumer group every gateway joins: the topic's partitions are shared among them.</summary>
    [Required]
    public string GroupId { get; set; } = "orbit-gateway";

    /// <summary>How many requests one gateway takes from Kafka and computes at once before it commits their offsets.</summary>
    [Range(1, 4096)]
    public int Concurrency { get; set; } = 64;

    public Dictionary<string, string> Settings { get; set; } = [];

    public bool Enabled => !string.IsNullOrWhiteSpace(BootstrapServers);
}
