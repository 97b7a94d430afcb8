namespace Threshold.Storage;

/// <summary>
/// The store cannot be opened: the data folder cannot be written, the database cannot be reached or read.
/// The message is one plain sentence for an operator (never a password); hosts print it and exit with code 2.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException()
    {
    }

    public StoreUnavailableException(string message) : base(message)
    {
    }

    public StoreUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
