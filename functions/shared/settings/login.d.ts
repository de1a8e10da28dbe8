export declare const LOGIN_VARIABLES: {
    readonly awsAuthPath: import("./variables").Variable<string>;
    readonly awsAuthRole: import("./variables").Variable<string>;
    readonly iamServerId: import("./variables").Variable<string | undefined>;
    readonly stsUrl: import("./variables").Variable<string>;
    readonly stsRegion: import("./variables").Variable<string>;
};
export interface LoginSettings {
    readonly awsAuthPath: string;
    readonly awsAuthRole: string;
    readonly iamServerId: string | undefined;
    readonly stsUrl: string;
    readonly stsRegion: string;
}
