using Orbit.Gateway;
using Orbit.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrbitDefaults("gateway", bus => bus.AddGatewayConsumers());
builder.AddGateway();

var app = builder.Build();
app.UseOrbitDefaults();
app.MapGateway();
app.Run();

public partial class Program;
