using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Orbit.Cli.Registry;

/// <summary><c>orbit workers</c>: the live inference fleet, from the workers' heartbeats.</summary>
internal static class WorkersCommand
{
    public static Command Create(RegistryRunner runner) =>
        runner.Define(new Command("workers", "List the live inference workers: device, loaded models, queue, batching, load"), async (call, ct) =>
            await call.AnswerAsync(await call.Api.WorkersAsync(ct), list =>
            {
                if (list.Items.Count == 0)
                {
                    AnsiConsole.MarkupLine("no live workers (start some: ./orbit scale workers N)");
                    return;
                }

                var table = new Table().AddColumns("WORKER", "DEVICE", "PROVIDER", "MODELS", "QUEUE", "BATCHES", "MEAN BATCH", "BUSY", "LAST SEEN");
                foreach (var w in list.Items)
                {
                    table.AddRow(
                        Markup.Escape(w.WorkerId),
                        Markup.Escape(w.Device),
                        Markup.Escape(w.Provider),
                        Markup.Escape(w.LoadedModels.Count == 0 ? "-" : string.Join(", ", w.LoadedModels.Select(m => $"{m.ModelName}:{m.Version}"))),
                        w.QueueDepth.ToString(CultureInfo.InvariantCulture),
                        w.BatchesRun.ToString(CultureInfo.InvariantCulture),
                        w.MeanBatchSize.ToString("0.0", CultureInfo.InvariantCulture),
                        w.BusyFraction.ToString("P0", CultureInfo.InvariantCulture),
                        w.SentAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture));
                }

                AnsiConsole.Write(table);
            }));
}
