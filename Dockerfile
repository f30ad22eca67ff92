# The gateway's container image: the .NET SDK restores and publishes src/Webhooks.Api (and the projects it
# references), the ASP.NET Core runtime image runs it as a non-root user. It needs no writable path but /tmp, so it
# runs with a read-only root filesystem.
#   docker build -t webhooks .           podman: add --format docker (the OCI format has no HEALTHCHECK)
#   docker run … webhooks migrate        apply the database migrations and exit: a one-off job before the instances
#   docker run … webhooks                serve on 0.0.0.0:8012 (ASPNETCORE_URLS chooses another address)
# Configuration comes from the environment in ASP.NET Core's form: ConnectionStrings__Webhooks,
# ConnectionStrings__RabbitMq, Webhooks__Admin__ApiKey, Webhooks__Sources__{name}__Provider, … (see README.md).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Set by build machines whose package feed is reached through a proxy that certificate revocation checks cannot pass;
# like every ARG of this stage it reaches the restore, never the final image.
ARG NUGET_CERT_REVOCATION_MODE
WORKDIR /src

# The project files first: the restore layer is reused until a project file or a package version changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Webhooks.Domain/Webhooks.Domain.csproj src/Webhooks.Domain/
COPY src/Webhooks.Contracts/Webhooks.Contracts.csproj src/Webhooks.Contracts/
COPY src/Webhooks.Application/Webhooks.Application.csproj src/Webhooks.Application/
COPY src/Webhooks.Infrastructure/Webhooks.Infrastructure.csproj src/Webhooks.Infrastructure/
COPY src/Webhooks.Api/Webhooks.Api.csproj src/Webhooks.Api/
RUN dotnet restore src/Webhooks.Api/Webhooks.Api.csproj --disable-build-servers

COPY src/ src/
# The development settings (their sources, secrets and admin key) stay out of the image.
RUN dotnet publish src/Webhooks.Api/Webhooks.Api.csproj -c Release --no-restore --disable-build-servers -o /app -p:UseAppHost=false \
 && rm -f /app/appsettings.Development.json

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# Owned by root: the user the process runs as can read the files, not change them.
COPY --from=build /app ./

# Every interface inside the container, port 8012, unless ASPNETCORE_URLS says otherwise; the base image's
# ASPNETCORE_HTTP_PORTS is cleared so that only one setting names the address. The application is built
# culture-invariant (Directory.Build.props), so it needs no ICU.
ENV ASPNETCORE_URLS=http://0.0.0.0:8012 \
    ASPNETCORE_HTTP_PORTS= \
    TMPDIR=/tmp
EXPOSE 8012

# The base image's unprivileged "app" user, by number so that Kubernetes can verify runAsNonRoot.
USER 1654

# The image has no curl: the application probes itself (dotnet Webhooks.Api.dll healthcheck [url]).
HEALTHCHECK --interval=30s --timeout=10s --start-period=90s --retries=3 \
  CMD ["dotnet", "/app/Webhooks.Api.dll", "healthcheck"]

ENTRYPOINT ["dotnet", "/app/Webhooks.Api.dll"]
