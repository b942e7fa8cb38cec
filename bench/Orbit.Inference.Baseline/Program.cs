using Orbit.Inference.Baseline;

// What a user would otherwise write: one ASP.NET Core app that serves OIP v2 infer in-process through Orbit.Onnx,
// no batching, no bus. Models come as --model NAME=FILE.onnx (repeatable); --urls picks the loopback port.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Services.AddSingleton(ServedModels.Load(args));

var app = builder.Build();
app.MapGet("/v2/health/ready", () => Results.Text("{\"ready\":true}", "application/json"));
app.MapPost("/v2/models/{model}/infer", InferEndpoint.InferAsync);
app.Run();
