/**
 * A small in-process stand-in for the AWS calls the preview and drift tools
 * make, reached by the real SDK through `AWS_ENDPOINT_URL`: STS
 * AssumeRoleWithWebIdentity and CloudFormation (query protocol, XML), SSM
 * (JSON 1.1). Answers as AWS does (same error codes and messages), records
 * every call. Listens on 127.0.0.1 only.
 */
import { randomUUID } from 'crypto';
import * as http from 'http';
import type { AddressInfo } from 'net';

export interface FakeStack {
  readonly name: string;
  /** e.g. `CREATE_COMPLETE`, `REVIEW_IN_PROGRESS`. */
  readonly status: string;
  /** Template GetTemplate returns (JSON object, or a string as is). */
  readonly template?: unknown;
  readonly statusReason?: string;
}

export interface FakeAwsEndpointOptions {
  readonly stacks?: FakeStack[];
  /** SSM parameters by name (e.g. `/cdk-bootstrap/hnb659fds/version`). */
  readonly parameters?: Record<string, string>;
  /** How STS answers AssumeRoleWithWebIdentity (default `allow`). */
  readonly webIdentity?: 'allow' | 'deny' | 'invalid-token';
  /** Stack names the caller may read (regular expression); others get AccessDenied. Default: all. */
  readonly readableStacks?: RegExp;
  /** SSM GetParameter refused (AccessDeniedException). */
  readonly denySsm?: boolean;
  /** Answer every CloudFormation call with this error. */
  readonly cloudFormationError?: { status: number; code: string; message: string };
}

export interface FakeCall {
  readonly service: 'sts' | 'cloudformation' | 'ssm' | 'unknown';
  readonly action: string;
  readonly target?: string;
  readonly outcome: string;
  /** Access key ID that signed the request (undefined for AssumeRoleWithWebIdentity). */
  readonly accessKeyId?: string;
  /** What was asked for, e.g. `TemplateStage`. */
  readonly params?: Record<string, string>;
}

const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

export class FakeAwsEndpoint {
  public readonly calls: FakeCall[] = [];
  /** Every request body received, to check that no secret travelled where it should not. */
  public readonly bodies: string[] = [];
  private readonly server: http.Server;

  constructor(private readonly options: FakeAwsEndpointOptions = {}) {
    this.server = http.createServer((req, res) => void this.handle(req, res));
  }

  public async start(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    return this.url;
  }

  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf-8');
    this.bodies.push(body);
    const auth = /Credential=([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(String(req.headers.authorization ?? ''));
    const accessKeyId = auth?.[1];
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.startsWith('AmazonSSM.')) return this.ssm(res, target.slice('AmazonSSM.'.length), body, accessKeyId);
    const params = new URLSearchParams(body);
    const action = params.get('Action') ?? '';
    if (action === 'AssumeRoleWithWebIdentity') return this.sts(res, params);
    if (auth?.[3] === 'cloudformation') return this.cloudFormation(res, action, params, accessKeyId);
    this.calls.push({ service: 'unknown', action, outcome: 'UnknownOperation', accessKeyId });
    this.xmlError(res, STS_NS, 400, 'UnknownOperation', `the fake endpoint does not implement ${action || req.url}`);
  }

  private sts(res: http.ServerResponse, params: URLSearchParams): void {
    const roleArn = params.get('RoleArn') ?? '';
    const mode = this.options.webIdentity ?? 'allow';
    if (mode === 'deny') {
      this.calls.push({ service: 'sts', action: 'AssumeRoleWithWebIdentity', target: roleArn, outcome: 'AccessDenied' });
      return this.xmlError(res, STS_NS, 403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    }
    if (mode === 'invalid-token') {
      this.calls.push({ service: 'sts', action: 'AssumeRoleWithWebIdentity', target: roleArn, outcome: 'InvalidIdentityToken' });
      return this.xmlError(res, STS_NS, 400, 'InvalidIdentityToken', 'No OpenIDConnect provider found in your account for https://api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc');
    }
    this.calls.push({ service: 'sts', action: 'AssumeRoleWithWebIdentity', target: roleArn, outcome: 'ok' });
    const account = roleArn.split(':')[4] ?? '111111111111';
    const role = roleArn.split('/').pop() ?? 'role';
    this.xml(res, 200, `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NS}"><AssumeRoleWithWebIdentityResult>`
      + '<Credentials><AccessKeyId>ASIAFAKEWEBIDENTITY1</AccessKeyId><SecretAccessKey>fakeSecretFromSts</SecretAccessKey>'
      + `<SessionToken>fakeSessionToken</SessionToken><Expiration>${new Date(Date.now() + 3600_000).toISOString()}</Expiration></Credentials>`
      + `<AssumedRoleUser><Arn>arn:aws:sts::${account}:assumed-role/${xmlEscape(role)}/session</Arn><AssumedRoleId>AROAFAKE:session</AssumedRoleId></AssumedRoleUser>`
      + `</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`);
  }

  private cloudFormation(res: http.ServerResponse, action: string, params: URLSearchParams, accessKeyId?: string): void {
    const name = params.get('StackName') ?? undefined;
    const record = (outcome: string) => this.calls.push({
      service: 'cloudformation',
      action,
      target: name,
      outcome,
      accessKeyId,
      params: Object.fromEntries([...params.entries()].filter(([k]) => !['Action', 'Version', 'StackName'].includes(k))),
    });
    const injected = this.options.cloudFormationError;
    if (injected) {
      record(injected.code);
      return this.xmlError(res, CFN_NS, injected.status, injected.code, injected.message);
    }
    if (name && this.options.readableStacks && !this.options.readableStacks.test(name)) {
      record('AccessDenied');
      return this.xmlError(res, CFN_NS, 403, 'AccessDenied',
        `User: arn:aws:sts::111111111111:assumed-role/preview/session is not authorized to perform: cloudformation:${action} on resource: arn:aws:cloudformation:eu-west-1:111111111111:stack/${name}/* because no identity-based policy allows the cloudformation:${action} action`);
    }
    const stack = (this.options.stacks ?? []).find((s) => s.name === name);
    const reply = (result: string) => this.xml(res, 200,
      `<${action}Response xmlns="${CFN_NS}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`);
    if (action === 'DescribeStacks') {
      if (!stack) {
        record('ValidationError');
        return this.xmlError(res, CFN_NS, 400, 'ValidationError', `Stack with id ${name} does not exist`);
      }
      record('ok');
      return reply(`<Stacks><member><StackName>${xmlEscape(stack.name)}</StackName>`
        + `<StackId>arn:aws:cloudformation:eu-west-1:111111111111:stack/${xmlEscape(stack.name)}/0c1d2e3f</StackId>`
        + `<CreationTime>2024-01-01T00:00:00.000Z</CreationTime><StackStatus>${stack.status}</StackStatus>`
        + (stack.statusReason ? `<StackStatusReason>${xmlEscape(stack.statusReason)}</StackStatusReason>` : '')
        + '</member></Stacks>');
    }
    if (action === 'GetTemplate') {
      if (!stack) {
        record('ValidationError');
        return this.xmlError(res, CFN_NS, 400, 'ValidationError', `Stack with id ${name} does not exist`);
      }
      record('ok');
      const body = typeof stack.template === 'string' ? stack.template : JSON.stringify(stack.template ?? {});
      return reply(`<TemplateBody>${xmlEscape(body)}</TemplateBody><StagesAvailable><member>Original</member><member>Processed</member></StagesAvailable>`);
    }
    record('UnknownOperation');
    this.xmlError(res, CFN_NS, 400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
  }

  private ssm(res: http.ServerResponse, action: string, body: string, accessKeyId?: string): void {
    const input = JSON.parse(body || '{}');
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID() });
      res.end(JSON.stringify(payload));
    };
    const value = this.options.parameters?.[input.Name];
    if (action !== 'GetParameter') {
      this.calls.push({ service: 'ssm', action, target: input.Name, outcome: 'InvalidAction', accessKeyId });
      return send(400, { __type: 'InvalidAction', message: `${action} is not implemented by the fake endpoint` });
    }
    if (this.options.denySsm) {
      this.calls.push({ service: 'ssm', action, target: input.Name, outcome: 'AccessDeniedException', accessKeyId });
      return send(400, { __type: 'AccessDeniedException', message: `User: arn:aws:sts::111111111111:assumed-role/preview/session is not authorized to perform: ssm:GetParameter on resource: arn:aws:ssm:eu-west-1:111111111111:parameter${input.Name}` });
    }
    if (value === undefined) {
      this.calls.push({ service: 'ssm', action, target: input.Name, outcome: 'ParameterNotFound', accessKeyId });
      return send(400, { __type: 'ParameterNotFound', message: '' });
    }
    this.calls.push({ service: 'ssm', action, target: input.Name, outcome: 'ok', accessKeyId });
    send(200, { Parameter: { Name: input.Name, Type: 'String', Value: value, Version: 1, DataType: 'text', LastModifiedDate: Date.now() / 1000 } });
  }

  private xml(res: http.ServerResponse, status: number, text: string): void {
    res.writeHead(status, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID() });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`);
  }

  private xmlError(res: http.ServerResponse, ns: string, status: number, code: string, message: string): void {
    this.xml(res, status, `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`);
  }
}

/** Variables that point the SDK at `endpoint` and shut out every other credential source of this machine. */
export function isolatedAwsEnv(endpoint: string, dir: string): Record<string, string | undefined> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: `${dir}/no-credentials`,
    AWS_CONFIG_FILE: `${dir}/no-config`,
    AWS_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_ROLE_ARN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
  };
}

/** Sets `vars` on `process.env` (undefined deletes) and returns a function that restores what was there. */
export function setProcessEnv(vars: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, value] of Object.entries(v)) {
      if (value === undefined) delete process.env[k];
      else process.env[k] = value;
    }
  };
  apply(vars);
  return () => apply(saved);
}
