using Orbit.Hosting;
using Orbit.Registry;
using Orbit.Registry.Models;

if (ModelInspectionChild.IsRequested(args))
{
    return await ModelInspectionChild.RunAsync(Console.In, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddOrbitDefaults("registry", bus => bus.AddRegistryConsumers());
builder.AddRegistry();

var app = builder.Build();
app.UseOrbitDefaults();
app.MapRegistryApi();
app.Run();
return 0;

public partial class Program;
