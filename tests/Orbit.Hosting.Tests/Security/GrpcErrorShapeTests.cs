using Orbit.Hosting.Security;

namespace Orbit.Hosting.Tests.Security;

public sealed class GrpcErrorShapeTests
{
    [Theory]
    [InlineData("An API key is required: send 'Authorization: Bearer <key>'.", "An API key is required: send 'Authorization: Bearer <key>'.")]
    [InlineData("100% sure", "100%25 sure")]
    [InlineData("modèle\n", "mod%C3%A8le%0A")]
    public void Grpc_messages_are_percent_encoded_as_the_protocol_asks(string message, string encoded) =>
        Assert.Equal(encoded, GrpcErrorShape.PercentEncode(message));
}
