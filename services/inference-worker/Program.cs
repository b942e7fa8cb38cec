using Orbit.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrbitDefaults("inference-worker");

var app = builder.Build();
app.UseOrbitDefaults();
app.Run();

public partial class Program;
