using Orbit.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrbitDefaults("drift-monitor");

var app = builder.Build();
app.UseOrbitDefaults();
app.Run();

public partial class Program;
