using Orbit.Hosting;
using Orbit.InferenceWorker;

var builder = WebApplication.CreateBuilder(args);
builder.AddOrbitDefaults("inference-worker", bus => bus.AddInferenceWorkerConsumers());
builder.AddInferenceWorker();

var app = builder.Build();
app.UseOrbitDefaults();
app.MapInferenceWorker();
app.Run();

public partial class Program;
