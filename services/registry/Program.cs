using Orbit.Hosting;
using Orbit.Registry;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrbitDefaults("registry", bus => bus.AddRegistryConsumers());
builder.AddRegistry();

var app = builder.Build();
app.UseOrbitDefaults();
app.MapRegistryApi();
app.Run();

public partial class Program;
