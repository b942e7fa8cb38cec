using Orbit.Hosting;
using Orbit.InferenceWorker;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrbitDefaults("inference-worker", bus => bus.AddInferenceWorkerConsumers());
builder.AddInferenceWorker();

var app = builder.Build();
// The worker has no API of its own: health and metrics come from the defaults, its work from the bus.
app.UseOrbitDefaults();
app.Run();

public partial class Program;
