using Orbit.Hosting;
using Orbit.Retrainer;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrbitDefaults("retrainer", bus => bus.AddRetrainerConsumers());
builder.AddRetrainer();

var app = builder.Build();
app.UseOrbitDefaults();
app.MapRetrainerApi();
app.Run();

public partial class Program;
