using Orbit.Hosting.Errors;

namespace Orbit.Registry.Api;

internal enum OutcomeKind
{
    Ok,
    NotFound,
    Conflict,
    Invalid,
}

/// <summary>What a registry operation came to: a value, or an expected failure that the endpoint turns into a problem detail.</summary>
internal readonly record struct Outcome<T>(OutcomeKind Kind, T? Value, string? Field, string? Detail)
{
    public static implicit operator Outcome<T>(T value) => new(OutcomeKind.Ok, value, null, null);

    public static implicit operator Outcome<T>(Failure failure) => new(failure.Kind, default, failure.Field, failure.Detail);

    public IResult ToResult(Func<T, IResult> ok) => Kind switch
    {
        OutcomeKind.Ok => ok(Value!),
        OutcomeKind.NotFound => Problems.NotFound(Detail!),
        OutcomeKind.Conflict => Results.Problem(statusCode: StatusCodes.Status409Conflict, type: ProblemTypes.Conflict, title: "Conflict", detail: Detail),
        _ => FieldProblem.For(Field!, Detail!),
    };
}

internal readonly record struct Failure(OutcomeKind Kind, string? Field, string Detail)
{
    public static Failure NotFound(string detail) => new(OutcomeKind.NotFound, null, detail);

    public static Failure Conflict(string detail) => new(OutcomeKind.Conflict, null, detail);

    public static Failure Invalid(string field, string detail) => new(OutcomeKind.Invalid, field, detail);
}

internal static class Problems
{
    public static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, type: ProblemTypes.NotFound, title: "Not found", detail: detail);
}
