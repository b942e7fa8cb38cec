using Orbit.DriftMonitor;
using Orbit.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrbitDefaults("drift-monitor");
builder.AddDriftMonitor();

var app = builder.Build();
app.UseOrbitDefaults();
app.MapDriftMonitor();
app.Run();

public partial class Program;
