using Orbit.Onnx.Protobuf;
using Orbit.Onnx.Sessions;
using Orbit.Onnx.Tensors;

namespace Orbit.Batch.Bench;

/// <summary>
/// The bench's tree model: a gradient-boosted-style ensemble of <see cref="Trees"/> full binary trees of depth
/// <see cref="Depth"/> over the 32 features (ai.onnx.ml TreeEnsembleRegressor, summed), x[batch,32] → y[batch,1].
/// Splits and leaf values are drawn from a fixed seed, so every run scores the same model.
/// </summary>
internal static class TreeModel
{
    /// <summary>100, or <c>ORBIT_BENCH_TREES</c> (bench/run-batch.sh --trees): more trees make the model, not the pipeline, the cost.</summary>
    public static int Trees { get; } = int.TryParse(Environment.GetEnvironmentVariable("ORBIT_BENCH_TREES"), out var trees) && trees > 0 ? trees : 100;
    public const int Depth = 6;

    public static byte[] Write()
    {
        var random = new Random(17);
        var (treeIds, nodeIds, featureIds, values, modes, trueIds, falseIds) = (new List<long>(), new List<long>(), new List<long>(), new List<float>(), new List<string>(), new List<long>(), new List<long>());
        var (targetTrees, targetNodes, targetIds, weights) = (new List<long>(), new List<long>(), new List<long>(), new List<float>());
        const int internalNodes = (1 << Depth) - 1;
        const int allNodes = (1 << (Depth + 1)) - 1;
        for (var tree = 0; tree < Trees; tree++)
        {
            // Node n's children are 2n+1 and 2n+2 (heap order); the last level holds the leaves.
            for (var node = 0; node < allNodes; node++)
            {
                treeIds.Add(tree);
                nodeIds.Add(node);
                var leaf = node >= internalNodes;
                featureIds.Add(leaf ? 0 : random.Next(BatchInput.Features));
                values.Add(leaf ? 0 : (float)(random.NextDouble() * 4 - 2));
                modes.Add(leaf ? "LEAF" : "BRANCH_LEQ");
                trueIds.Add(leaf ? 0 : 2 * node + 1);
                falseIds.Add(leaf ? 0 : 2 * node + 2);
                if (leaf)
                {
                    targetTrees.Add(tree);
                    targetNodes.Add(node);
                    targetIds.Add(0);
                    weights.Add((float)(random.NextDouble() * 0.2 - 0.1));
                }
            }
        }

        return new ModelBuilder()
            .ImportOpset("ai.onnx.ml", 3)
            .AddInput("x", TensorElementType.Float, Dimension.Symbolic("batch"), Dimension.Fixed(BatchInput.Features))
            .AddOutput("y", TensorElementType.Float, Dimension.Symbolic("batch"), Dimension.Fixed(1))
            .AddNode("TreeEnsembleRegressor", ["x"], ["y"],
                [
                    NodeAttribute.Int("n_targets", 1),
                    NodeAttribute.String("aggregate_function", "SUM"),
                    NodeAttribute.Ints("nodes_treeids", [.. treeIds]),
                    NodeAttribute.Ints("nodes_nodeids", [.. nodeIds]),
                    NodeAttribute.Ints("nodes_featureids", [.. featureIds]),
                    NodeAttribute.Floats("nodes_values", [.. values]),
                    NodeAttribute.Strings("nodes_modes", [.. modes]),
                    NodeAttribute.Ints("nodes_truenodeids", [.. trueIds]),
                    NodeAttribute.Ints("nodes_falsenodeids", [.. falseIds]),
                    NodeAttribute.Ints("target_treeids", [.. targetTrees]),
                    NodeAttribute.Ints("target_nodeids", [.. targetNodes]),
                    NodeAttribute.Ints("target_ids", [.. targetIds]),
                    NodeAttribute.Floats("target_weights", [.. weights]),
                ],
                name: "trees", domain: "ai.onnx.ml")
            .ToBytes();
    }
}
