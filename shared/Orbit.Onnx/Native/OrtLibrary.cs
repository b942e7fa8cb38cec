using System.Runtime.InteropServices;

namespace Orbit.Onnx.Native;

/// <summary>Finds and loads libonnxruntime and hands out its OrtApi table.</summary>
internal static unsafe class OrtLibrary
{
    public const uint ApiVersion = 30;
    public const string FileName = "libonnxruntime.so.1";
    public const string EnvironmentVariable = "ORBIT_ONNXRUNTIME";
    private static readonly string CacheFolder = Path.Combine(".cache", "onnxruntime");

    private static readonly Lock Gate = new();
    private static nint* s_table;
    private static string s_version = "";

    public static string Version => s_version;

    public static nint* Table
    {
        get
        {
            var table = s_table;
            return table != null ? table : Load();
        }
    }

    public static string Resolve(string? configuredPath)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            return configuredPath;
        }
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, CacheFolder, FileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }
        return Path.Combine(Directory.GetCurrentDirectory(), CacheFolder, FileName);
    }

    public static string NotFoundMessage(string path) =>
        $"ONNX Runtime was not found at {path}. Run `./orbit deps` to fetch it into .cache/onnxruntime, " +
        $"or set {EnvironmentVariable} to the path of {FileName}.";

    private static nint* Load()
    {
        lock (Gate)
        {
            if (s_table != null)
            {
                return s_table;
            }
            var path = Resolve(OnnxRuntime.Options.LibraryPath);
            if (!File.Exists(path))
            {
                throw new OnnxRuntimeNotFoundException(NotFoundMessage(path));
            }
            nint library;
            try
            {
                library = NativeLibrary.Load(path);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                throw new OnnxRuntimeNotFoundException(
                    $"ONNX Runtime at {path} could not be loaded ({e.Message}). Run `./orbit deps` to fetch a working copy.", e);
            }
            var getApiBase = (delegate* unmanaged<OrtApiBase*>)NativeLibrary.GetExport(library, "OrtGetApiBase");
            var apiBase = getApiBase();
            var table = (nint*)apiBase->GetApi(ApiVersion);
            var version = Marshal.PtrToStringUTF8((nint)apiBase->GetVersionString()) ?? "";
            if (table == null)
            {
                throw new OnnxRuntimeNotFoundException(
                    $"ONNX Runtime {version} at {path} does not serve API version {ApiVersion}; Orbit needs 1.{ApiVersion}.0 or newer. Run `./orbit deps`.");
            }
            s_version = version;
            s_table = table;
            return table;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct OrtApiBase
    {
        public delegate* unmanaged<uint, void*> GetApi;
        public delegate* unmanaged<byte*> GetVersionString;
    }
}
