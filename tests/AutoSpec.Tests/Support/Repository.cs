namespace AutoSpec.Tests.Support;

/// <summary>The clone the tests were built from (the folder holding AutoSpec.sln), for tests of its files and docs.</summary>
public static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AutoSpec.sln")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException("no AutoSpec.sln above " + AppContext.BaseDirectory);
    }
}
