namespace Threshold.Domain.Calendar;

/// <summary>
/// Reads the policy data files embedded in Threshold.Domain (calendars, procedures, retention), so
/// a published executable finds them from any folder.
/// </summary>
public static class DataFiles
{
    public static string Read(string fileName)
    {
        var assembly = typeof(DataFiles).Assembly;
        using var stream = assembly.GetManifestResourceStream($"Threshold.Domain.{fileName}")
            ?? throw new InvalidOperationException($"The data file '{fileName}' is not embedded in Threshold.Domain.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
